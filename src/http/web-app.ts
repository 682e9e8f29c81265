import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { NotFoundError, ServiceUnavailableError } from './errors.js';

/** Where `npm run build:web` writes the admin console and the billing page. */
export const WEB_BUILD_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const WEB_APPS = ['admin', 'billing'] as const;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

// Built asset names are Vite's hashed file names: nothing with a slash or two dots gets near the disk.
const ASSET_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.(?:js|css|map|svg|png|woff2)$/;

// The pages load only their own scripts and talk only to this server; Stripe's pages are reached by
// navigation, which `connect-src` does not govern.
// The billing page may also show the deployment's logo from the one https origin it names.
const pagePolicy = (imageOrigins: string[] = []) =>
  [
    "default-src 'self'",
    ["img-src 'self' data:", ...imageOrigins].join(' '),
    "style-src 'self' 'unsafe-inline'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');

async function readBuilt(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const notBuilt = () =>
  new ServiceUnavailableError('web_app_not_built', 'The web app is not built: run `npm run build:web`');

/**
 * Serves the admin console at /admin and the billing page at /billing: each app's client-side
 * routes answer with its index.html; hashed assets are cached for good, pages never.
 */
export function webAppRoutes(
  buildDir = WEB_BUILD_DIR,
  page: { billingImageOrigins?: () => Promise<string[]> } = {},
) {
  return async (app: FastifyInstance) => {
    for (const name of WEB_APPS) {
      const answer = async (_request: unknown, reply: FastifyReply) => {
        const html = await readBuilt(join(buildDir, name, 'index.html'));
        if (!html) throw notBuilt();
        const imageOrigins = name === 'billing' ? await page.billingImageOrigins?.() : [];
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('content-security-policy', pagePolicy(imageOrigins))
          .header('x-content-type-options', 'nosniff')
          .header('referrer-policy', 'no-referrer')
          .send(html);
      };
      const options = { config: { access: 'public' as const }, schema: { hide: true } };
      app.get(`/${name}`, options, answer);
      app.get(`/${name}/*`, options, answer);
    }

    app.get<{ Params: { name: string } }>(
      '/assets/:name',
      { config: { access: 'public' }, schema: { hide: true } },
      async (request, reply) => {
        const { name } = request.params;
        const body = ASSET_NAME.test(name) ? await readBuilt(join(buildDir, 'assets', name)) : null;
        if (!body) throw new NotFoundError('Asset', name);
        return reply
          .header('content-type', CONTENT_TYPES[extname(name)] ?? 'application/octet-stream')
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('x-content-type-options', 'nosniff')
          .send(body);
      },
    );
  };
}
