import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from '../auth/principal.js';

/** Who a write is recorded as made by. */
export type AuditActor =
  | { type: 'api_key'; id: string; role: 'admin' | 'service' }
  | { type: 'user'; id: string; role: 'user' }
  | { type: 'system'; cause: string };

/** What a request tells about the writes made while answering it. */
export interface AuditScope {
  /** Read when a write is recorded: the credential is checked after the scope opens. */
  actor: () => AuditActor | null;
  requestId: string | null;
  clientAddress: string | null;
  /** Set once a `failed` row is recorded, so the request's error is not recorded twice. */
  failureRecorded?: boolean;
}

const scopes = new AsyncLocalStorage<AuditScope>();

export function actorOfPrincipal(principal: Principal): AuditActor {
  return principal.kind === 'api_key'
    ? { type: 'api_key', id: principal.keyId, role: principal.role }
    : { type: 'user', id: principal.userId, role: 'user' };
}

/** Runs `fn` with the writes it records attributed to `scope`. */
export function withAuditScope<T>(scope: AuditScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

/**
 * Runs `fn` as Recur itself acting for `cause` (`scheduled_sync`, `event:evt_…`): the writes it
 * records say `system` and why, whatever request or task is around it.
 */
export function asSystem<T>(cause: string, fn: () => T): T {
  const outer = scopes.getStore();
  return scopes.run(
    {
      actor: () => ({ type: 'system', cause }),
      requestId: outer?.requestId ?? null,
      clientAddress: outer?.clientAddress ?? null,
    },
    fn,
  );
}

/** Notes on the current scope that a `failed` row was recorded. */
export function noteFailureRecorded(): void {
  const scope = scopes.getStore();
  if (scope) scope.failureRecorded = true;
}

/** The scope of the write being recorded; outside any, Recur itself with an unknown cause. */
export function currentAuditScope(): {
  actor: AuditActor;
  requestId: string | null;
  clientAddress: string | null;
} {
  const scope = scopes.getStore();
  return {
    actor: scope?.actor() ?? { type: 'system', cause: 'unattributed' },
    requestId: scope?.requestId ?? null,
    clientAddress: scope?.clientAddress ?? null,
  };
}
