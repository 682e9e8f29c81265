import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where a newcomer goes from the server's root: each place Recur serves, and what it is for. */
export const FRONT_DOOR_LINKS = [
  { path: '/admin', title: 'Admin console', about: 'sign in with an admin API key (rk_…)' },
  { path: '/billing', title: 'Billing page', about: 'for your users, opened through a billing link' },
  { path: '/docs', title: 'API docs', about: 'the OpenAPI document, also at /docs/json' },
  { path: '/health/ready', title: 'Health', about: 'readiness of the database, queue, cache and Stripe' },
] as const;

/** A ring (recurring billing) in the console's accent colour; SVG, so one file fits every size. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f4fd1"/>' +
  '<path d="M22.5 11.5A8 8 0 1 0 24 16" fill="none" stroke="#fff" stroke-width="3.2" stroke-linecap="round"/>' +
  '<path d="M19 10.5l4.5 1 .6-4.6" fill="none" stroke="#fff" stroke-width="3.2" stroke-linecap="round" stroke-linejoin="round"/></svg>';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Recur</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}
a{color:#1f4fd1}li{margin:.5rem 0}</style>
</head>
<body>
<h1>Recur</h1>
<p>Subscription billing beside your app. This server offers:</p>
<ul>
${FRONT_DOOR_LINKS.map((l) => `<li><a href="${l.path}">${escapeHtml(l.title)}</a>: ${escapeHtml(l.about)}</li>`).join('\n')}
</ul>
</body>
</html>
`;

/**
 * The root answers a browser with a page of links and any other client with the same links as
 * JSON, so nobody's first request ends in a 404.
 */
export function frontDoorRoutes() {
  return async (app: FastifyInstance) => {
    const options = { config: { access: 'public' as const }, schema: { hide: true } };
    app.get('/', options, async (request, reply) => {
      if (request.headers.accept?.includes('text/html')) {
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'")
          .send(PAGE);
      }
      return { service: 'recur', links: FRONT_DOOR_LINKS };
    });
    const favicon = async (_request: unknown, reply: FastifyReply) =>
      reply
        .header('content-type', 'image/svg+xml')
        .header('cache-control', 'public, max-age=86400')
        .send(FAVICON_SVG);
    app.get('/favicon.svg', options, favicon);
    // Browsers ask for /favicon.ico on their own; Chromium and Firefox render an SVG served there.
    app.get('/favicon.ico', options, favicon);
  };
}
