import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from './error-handler.js';
import { webAppRoutes } from './web-app.js';

let dir: string;
let app: FastifyInstance;
let unbuilt: FastifyInstance;

async function appOn(buildDir: string): Promise<FastifyInstance> {
  const instance = Fastify();
  registerErrorHandling(instance);
  await instance.register(webAppRoutes(buildDir));
  await instance.ready();
  return instance;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recur-web-'));
  await mkdir(join(dir, 'admin'), { recursive: true });
  await mkdir(join(dir, 'billing'), { recursive: true });
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'admin', 'index.html'), '<title>admin</title>');
  await writeFile(join(dir, 'billing', 'index.html'), '<title>billing</title>');
  await writeFile(join(dir, 'assets', 'admin-Ab12_c.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'not an asset');
  app = await appOn(dir);
  unbuilt = await appOn(join(dir, 'missing'));
});

afterAll(async () => {
  await app.close();
  await unbuilt.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the web apps', () => {
  it('answer each app’s own routes with its index.html, never cached, under a strict policy', async () => {
    for (const [url, title] of [
      ['/admin', 'admin'],
      ['/admin/subscriptions/sub_123', 'admin'],
      ['/billing', 'billing'],
      ['/billing/invoices', 'billing'],
    ] as const) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toBe(`<title>${title}</title>`);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('serve hashed assets with their type, cached for good', async () => {
    const res = await app.inject({ url: '/assets/admin-Ab12_c.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(1)');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('serve nothing outside the assets folder, and nothing of an unknown kind', async () => {
    for (const url of [
      '/assets/..%2Fsecret.txt',
      '/assets/%2E%2E%2Fadmin%2Findex.html',
      '/assets/secret.txt',
      '/assets/missing.js',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });

  it('say how to build them when they are not built', async () => {
    const res = await unbuilt.inject({ url: '/admin' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatchObject({ code: 'web_app_not_built' });
  });
});
