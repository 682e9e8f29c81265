import express, { type Request, type RequestHandler, type Router } from 'express';
import type { Recur } from './client.js';
import {
  entitlementGate,
  hostRoute,
  hostWebhook,
  type RecurRoutesOptions,
  type RequireEntitlementOptions,
} from './host.js';

/** Lets the request through when its user has `feature`; otherwise 401, 402 or 503 (see `entitlementGate`). */
export function requireEntitlement(
  recur: Recur,
  feature: string,
  options: RequireEntitlementOptions<Request>,
): RequestHandler {
  return async (request, response, next) => {
    try {
      const refused = await entitlementGate(
        recur,
        feature,
        await options.getUserId(request),
        options.onUnavailable,
      );
      if (!refused) return next();
      response.status(refused.status).json(refused.body);
    } catch (error) {
      next(error);
    }
  };
}

/**
 * The routes the React components call (`GET /plans`, `GET /entitlements`, `POST /checkout`,
 * `POST /portal`, and `POST /webhooks` with `onEvent`); mount under the components' base URL:
 * `app.use('/api/recur', createRecurRoutes(recur, { getUser }))`.
 */
export function createRecurRoutes(recur: Recur, options: RecurRoutesOptions<Request>): Router {
  const router = express.Router();
  if (options.onEvent) {
    // The signature covers the bytes as sent: the body is kept raw for this route.
    router.post(
      '/webhooks',
      express.raw({ type: () => true, limit: '1mb' }),
      async (request, response, next) => {
        try {
          if (!Buffer.isBuffer(request.body))
            throw new Error(
              'Recur webhooks: mount createRecurRoutes before express.json(), which would parse the body',
            );
          const raw: Buffer = request.body;
          const answer = await hostWebhook(recur, options, raw, request.headers);
          response.status(answer.status).json(answer.body);
        } catch (error) {
          next(error);
        }
      },
    );
  }
  router.use(express.json({ limit: '16kb' }), async (request, response, next) => {
    try {
      const answer = await hostRoute(recur, options, request, {
        method: request.method,
        path: request.path,
        body: request.body,
      });
      if (!answer) return next();
      response.status(answer.status).json(answer.body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
