import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from './error-handler.js';
import { FRONT_DOOR_LINKS, frontDoorRoutes } from './front-door.js';

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  registerErrorHandling(app);
  await app.register(frontDoorRoutes());
  await app.ready();
});
afterAll(() => app.close());

describe('the server’s root', () => {
  it('shows a browser a page linking the console, the billing page, the docs and health', async () => {
    const res = await app.inject({
      url: '/',
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const links = [...res.body.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ['/admin', 'Admin console'],
      ['/billing', 'Billing page'],
      ['/docs', 'API docs'],
      ['/health/ready', 'Health'],
    ]);
    expect(res.body).toContain('<link rel="icon" href="/favicon.svg"');
  });

  it('answers curl and other clients with the same links as JSON, not a 404', async () => {
    const res = await app.inject({ url: '/', headers: { accept: '*/*' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ service: 'recur', links: FRONT_DOOR_LINKS });
  });

  it('serves a favicon at both the linked and the conventional address', async () => {
    for (const url of ['/favicon.svg', '/favicon.ico']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('image/svg+xml');
      expect(res.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
  });
});
