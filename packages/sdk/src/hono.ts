import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Recur } from './client.js';
import {
  entitlementGate,
  type HostAnswer,
  hostRoute,
  hostWebhook,
  type RecurRoutesOptions,
  type RequireEntitlementOptions,
} from './host.js';

const send = (context: Context, answer: HostAnswer) =>
  context.json(answer.body as object, answer.status as ContentfulStatusCode);

/** Lets the request through when its user has `feature`; otherwise 401, 402 or 503 (see `entitlementGate`). */
export function requireEntitlement(
  recur: Recur,
  feature: string,
  options: RequireEntitlementOptions<Context>,
): MiddlewareHandler {
  return async (context, next) => {
    const refused = await entitlementGate(
      recur,
      feature,
      await options.getUserId(context),
      options.onUnavailable,
    );
    if (refused) return send(context, refused);
    await next();
  };
}

/**
 * The routes the React components call; mount under their base URL:
 * `app.route('/api/recur', createRecurRoutes(recur, { getUser }))`.
 */
export function createRecurRoutes(recur: Recur, options: RecurRoutesOptions<Context>): Hono {
  const app = new Hono();
  if (options.onEvent) {
    app.post('/webhooks', async (context) =>
      send(context, await hostWebhook(recur, options, await context.req.text(), context.req.raw.headers)),
    );
  }
  app.on(['GET', 'POST'], '/:route', async (context) => {
    const body = context.req.method === 'POST' ? await context.req.json().catch(() => null) : undefined;
    const answer = await hostRoute(recur, options, context, {
      method: context.req.method,
      path: `/${context.req.param('route')}`,
      body,
    });
    return answer ? send(context, answer) : context.notFound();
  });
  return app;
}
