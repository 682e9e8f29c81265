import type { FastifyPluginAsync, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Recur } from './client.js';
import {
  entitlementGate,
  hostRoute,
  hostWebhook,
  type RecurRoutesOptions,
  type RequireEntitlementOptions,
} from './host.js';

/**
 * A preHandler that lets the request through when its user has `feature`; otherwise 401, 402 or
 * 503 (see `entitlementGate`): `{ preHandler: requireEntitlement(recur, 'api_access', { getUserId }) }`.
 */
export function requireEntitlement(
  recur: Recur,
  feature: string,
  options: RequireEntitlementOptions<FastifyRequest>,
): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    const refused = await entitlementGate(
      recur,
      feature,
      await options.getUserId(request),
      options.onUnavailable,
    );
    if (refused) return reply.status(refused.status).send(refused.body);
  };
}

/**
 * The routes the React components call, as a plugin:
 * `app.register(createRecurRoutes(recur, { getUser }), { prefix: '/api/recur' })`.
 */
export function createRecurRoutes(
  recur: Recur,
  options: RecurRoutesOptions<FastifyRequest>,
): FastifyPluginAsync {
  return async (app) => {
    // Bodies stay text inside this plugin (JSON included): the webhook's signature covers the bytes as sent.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) =>
      done(null, body),
    );
    if (options.onEvent) {
      app.post('/webhooks', async (request, reply) => {
        const answer = await hostWebhook(recur, options, String(request.body ?? ''), request.headers);
        return reply.status(answer.status).send(answer.body);
      });
    }
    const serve =
      (path: string) => async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
        let body: unknown = null;
        try {
          body = typeof request.body === 'string' && request.body ? JSON.parse(request.body) : null;
        } catch {
          body = null;
        }
        const answer = await hostRoute(recur, options, request, { method: request.method, path, body });
        if (!answer) return reply.callNotFound();
        return reply.status(answer.status).send(answer.body);
      };
    app.get('/plans', serve('/plans'));
    app.get('/entitlements', serve('/entitlements'));
    app.post('/checkout', serve('/checkout'));
    app.post('/portal', serve('/portal'));
  };
}
