import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.js';
import { UpstreamError } from '../http/errors.js';
import { type AuditScope, actorOfPrincipal, withAuditScope } from './context.js';
import { recordAudit } from './record.js';

declare module 'fastify' {
  interface FastifyRequest {
    auditScope: AuditScope | null;
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every write a request makes is recorded as the request's caller, with its request id and
 * address. The scope opens just before the handler (after the body is read, whose stream events
 * would leave it), and the handler runs inside it.
 *
 * A write route that fails because Stripe refused or could not be reached (502, 503) leaves a
 * `failed` row naming the route, unless the code that called Stripe recorded its own.
 */
export function registerAuditScope(app: FastifyInstance, db: Db): void {
  app.decorateRequest('auditScope', null);
  app.addHook('preHandler', (request, _reply, done) => {
    const scope: AuditScope = {
      actor: () => (request.principal ? actorOfPrincipal(request.principal) : null),
      requestId: request.id,
      clientAddress: request.ip,
      failureRecorded: false,
    };
    request.auditScope = scope;
    withAuditScope(scope, done);
  });
  app.addHook('onError', async (request, _reply, error) => {
    const scope = request.auditScope;
    if (!scope || scope.failureRecorded || READS.has(request.method) || !(error instanceof UpstreamError))
      return;
    const params = request.params as Record<string, unknown> | undefined;
    await withAuditScope(scope, () =>
      recordAudit(db, {
        action: `${request.method} ${request.routeOptions.url ?? request.url}`,
        objectType: 'request',
        objectId: typeof params?.id === 'string' ? params.id : null,
        outcome: 'failed',
        error: error.message,
      }),
    ).catch((err) => request.log.error({ err }, 'the failed write could not be recorded in the audit trail'));
  });
}
