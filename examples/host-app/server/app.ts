import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Recur, RecurWebhookError } from '@recur/sdk';
import { createRecurRoutes, requireEntitlement } from '@recur/sdk/hono';
import { type Context, Hono } from 'hono';
import type { ExampleConfig } from './config.js';
import { sampleReports } from './reports.js';
import { type AppUser, currentUser, newUser, signIn, signOut } from './session.js';

const PAGE = fileURLToPath(new URL('../dist', import.meta.url));

type Env = { Variables: { user: AppUser | null } };

/**
 * The host app: its own sign-up, a reports API that only plans with `api_access` may call, the
 * webhook Recur announces changes to, and the page. Everything about billing goes through the SDK.
 */
export function exampleApp(config: ExampleConfig): Hono<Env> {
  const recur = new Recur({
    baseUrl: config.recurUrl,
    apiKey: config.recurApiKey,
    webhookSecret: config.recurWebhookSecret,
    entitlements: { ttlSeconds: config.entitlementTtlSeconds },
  });
  const app = new Hono<Env>();
  const userOf = (c: Context) => (c.get('user') as AppUser | null) ?? null;

  app.use('/api/*', async (c, next) => {
    c.set('user', await currentUser(c, config.sessionSecret));
    await next();
  });

  app.post('/api/signup', async (c) => {
    const body: unknown = await c.req.json().catch(() => null);
    const user = newUser(typeof body === 'object' && body !== null && 'name' in body ? body.name : undefined);
    if (!user) return c.json({ error: 'Type a name of 1 to 80 characters' }, 400);
    await signIn(c, user, config.sessionSecret);
    return c.json({ user }, 201);
  });

  app.post('/api/signout', (c) => {
    signOut(c);
    return c.body(null, 204);
  });

  app.get('/api/session', (c) => c.json({ user: userOf(c) }));

  // The product: answered from the SDK's in-process entitlement cache, so the check costs
  // microseconds and Recur is asked only when a user is not cached (or the TTL ran out).
  app.get('/api/reports', requireEntitlement(recur, 'api_access', { getUserId: (c) => userOf(c)?.id }), (c) =>
    c.json({ reports: sampleReports() }),
  );

  // What the React components call (plans, entitlements, Checkout, the portal); the service key
  // stays here. Checkout and the portal send the person back to Recur's RECUR_APP_URL: this page.
  app.route(
    '/api/recur',
    createRecurRoutes(recur, {
      getUser: (c) => {
        const user = userOf(c);
        return user && { id: user.id, name: user.name };
      },
    }),
  );

  // Recur's webhooks: verified (signature and timestamp) by the SDK, which keeps the entitlement
  // cache current from `entitlements.updated` on the way.
  app.post('/webhooks/recur', async (c) => {
    try {
      const event = recur.webhooks.handle(await c.req.text(), c.req.raw.headers);
      const benefits =
        event.type === 'entitlements.updated' ? recur.entitlements.cache.peek(event.data.user_id) : undefined;
      console.log(
        JSON.stringify({ msg: 'recur webhook', type: event.type, sequence: event.sequence, benefits }),
      );
      return c.json({ received: true });
    } catch (error) {
      if (error instanceof RecurWebhookError) return c.json({ error: error.reason }, 400);
      throw error;
    }
  });

  app.use('/*', serveStatic({ root: PAGE }));
  app.get('*', serveStatic({ root: PAGE, path: 'index.html' }));
  return app;
}
