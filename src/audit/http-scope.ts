import type { FastifyInstance } from 'fastify';
import { actorOfPrincipal, withAuditScope } from './context.js';

/**
 * Every write a request makes is recorded as the request's caller, with its request id and
 * address. The scope opens just before the handler (after the body is read, whose stream events
 * would leave it), and the handler runs inside it.
 */
export function registerAuditScope(app: FastifyInstance): void {
  app.addHook('preHandler', (request, _reply, done) => {
    withAuditScope(
      {
        actor: () => (request.principal ? actorOfPrincipal(request.principal) : null),
        requestId: request.id,
        clientAddress: request.ip,
      },
      done,
    );
  });
}
