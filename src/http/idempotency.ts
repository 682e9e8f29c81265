import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { FastifyInstance, onSendHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import { principalId } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { idempotentRequests } from '../db/schema/index.js';
import { AppError, ConflictError, ValidationError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route accepts an `Idempotency-Key` header and replays the first answer to a repeat. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    /** The caller's Idempotency-Key, for deriving the keys of the Stripe writes it causes. */
    idempotencyKey: string | undefined;
  }
}

const RETENTION_MS = 24 * 60 * 60 * 1000;

/** The pending record of each request that holds a key, settled when its response is sent. */
const pending = new WeakMap<object, (status: number, payload: unknown) => Promise<void>>();

/**
 * Like Stripe's own keys: a repeat with the same body replays the stored status and body; a repeat
 * with a different body is refused; a repeat while the first is still running is a 409. Responses of
 * 5xx are not kept, so the client's retry runs again.
 */
export function registerIdempotency(app: FastifyInstance, db: Db): void {
  app.decorateRequest('idempotencyKey', undefined);

  const preHandler: preHandlerAsyncHookHandler = async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      throw new ValidationError('invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 characters');
    }
    const principal = request.principal ? principalId(request.principal) : `ip:${request.ip}`;
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    await db
      .delete(idempotentRequests)
      .where(
        and(
          eq(idempotentRequests.principal, principal),
          eq(idempotentRequests.key, key),
          lt(idempotentRequests.createdAt, new Date(Date.now() - RETENTION_MS)),
        ),
      );
    const inserted = await db
      .insert(idempotentRequests)
      .values({ principal, key, method: request.method, path: request.url, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotentRequests.key });
    if (inserted.length === 0) {
      const [stored] = await db
        .select()
        .from(idempotentRequests)
        .where(and(eq(idempotentRequests.principal, principal), eq(idempotentRequests.key, key)));
      if (!stored)
        throw new ConflictError(
          'idempotency_in_progress',
          'A request with this Idempotency-Key is in progress',
        );
      if (stored.requestHash !== requestHash) {
        throw new AppError(
          422,
          'idempotency_key_reused',
          'This Idempotency-Key was used with a different request; use a new key for a new request',
        );
      }
      if (stored.status === null) {
        throw new ConflictError(
          'idempotency_in_progress',
          'A request with this Idempotency-Key is in progress',
        );
      }
      reply.header('idempotent-replayed', 'true');
      return reply.status(stored.status).send(stored.response);
    }
    request.idempotencyKey = key;
    const release = async (status: number, payload: unknown) => {
      const where = and(eq(idempotentRequests.principal, principal), eq(idempotentRequests.key, key));
      if (status >= 500) {
        await db.delete(idempotentRequests).where(where);
        return;
      }
      const response = typeof payload === 'string' && payload.length ? JSON.parse(payload) : null;
      await db.update(idempotentRequests).set({ status, response }).where(where);
    };
    reply.raw.once('close', () => {
      // A request aborted before onSend must not leave the key locked forever.
      if (pending.delete(request)) void release(500, null);
    });
    pending.set(request, release);
  };

  const onSend: onSendHookHandler = async (request, reply, payload) => {
    const release = pending.get(request);
    if (release) {
      pending.delete(request);
      await release(reply.statusCode, payload);
    }
    return payload;
  };

  // Hooked onto the routes that take a key only: every other route (the webhook above all) runs
  // no idempotency code at all.
  app.addHook('onRoute', (route) => {
    if (!route.config?.idempotent) return;
    route.preHandler = [...[route.preHandler ?? []].flat(), preHandler];
    route.onSend = [...[route.onSend ?? []].flat(), onSend];
  });
}
