import type { Principal } from '../auth/principal.js';
import type { DbOrTx } from '../db/client.js';
import type { OrganizationRole } from '../db/schema/index.js';
import { AppError, NotFoundError } from '../http/errors.js';
import { organizationRepository as repo } from './repository.js';

/** Who pays for a subscription: a user of the host app, or one of its organisations. */
export type Payer = { kind: 'user'; userId: string } | { kind: 'organization'; organizationId: string };

/** The roles that may act on an organisation's billing: see, buy, change, cancel, pay. */
export const BILLING_ROLES: readonly OrganizationRole[] = ['owner', 'billing_admin'];

/** A user as the principal of a check made on their behalf (a billing link names them). */
export const userPrincipal = (userId: string): Principal => ({ kind: 'user', role: 'user', userId });

export const userPayer = (userId: string): Payer => ({ kind: 'user', userId });
export const organizationPayer = (organizationId: string): Payer => ({
  kind: 'organization',
  organizationId,
});

export function notBillingRole(organizationId: string): AppError {
  return new AppError(
    403,
    'organization_role_forbidden',
    `Only an owner or billing admin of organisation '${organizationId}' may manage its billing`,
    { organization_id: organizationId, roles: BILLING_ROLES },
  );
}

/**
 * May the principal act on this organisation's billing? An API key may (the host app's backend or
 * the operator); a user only as its `owner` or `billing_admin` (403 for a plain member). To anyone
 * else the organisation does not exist (404), so its ids cannot be probed.
 */
export async function assertBillingAccess(
  db: DbOrTx,
  principal: Principal,
  organizationId: string,
): Promise<void> {
  if (principal.kind === 'api_key') {
    if (!(await repo.find(db, organizationId))) throw new NotFoundError('Organization', organizationId);
    return;
  }
  const member = await repo.member(db, organizationId, principal.userId);
  if (!member) throw new NotFoundError('Organization', organizationId);
  if (!BILLING_ROLES.includes(member.role)) throw notBillingRole(organizationId);
}

/**
 * The payer a billing request acts for: the organisation it names (checked as above), else the
 * calling user. An API key must name one or the other itself.
 */
export async function payerOf(
  db: DbOrTx,
  principal: Principal,
  organizationId: string | undefined,
): Promise<Payer> {
  if (organizationId !== undefined) {
    await assertBillingAccess(db, principal, organizationId);
    return organizationPayer(organizationId);
  }
  if (principal.kind !== 'user') throw new Error('an API key reached a user billing route without a payer');
  return userPayer(principal.userId);
}

/** Whom a billing object (a subscription, an invoice) belongs to: its customer's user or organisation. */
export interface BillingOwner {
  userId: string | null;
  organizationId: string | null;
}

/**
 * May the principal see or act on an object of this owner? API keys may. A user may on their own
 * objects, and on an organisation's only as its owner or billing admin (403 for a plain member).
 * Anything else is `notFound`, the object's own 404, so that its existence is not disclosed.
 */
export async function assertOwnerAccess(
  db: DbOrTx,
  principal: Principal,
  owner: BillingOwner,
  notFound: () => AppError,
): Promise<void> {
  if (principal.kind === 'api_key') return;
  if (owner.organizationId !== null) {
    const member = await repo.member(db, owner.organizationId, principal.userId);
    if (!member) throw notFound();
    if (!BILLING_ROLES.includes(member.role)) throw notBillingRole(owner.organizationId);
    return;
  }
  if (owner.userId !== principal.userId) throw notFound();
}
