import type { Principal } from '../auth/principal.js';
import type { DbOrTx } from '../db/client.js';
import { NotFoundError } from '../http/errors.js';
import { assertOwnerAccess, payerOf } from '../organizations/payer.js';
import { subscriptionRepository as repo, type SubscriptionRecord } from './repository.js';

/**
 * The mirror's record, if the principal may see it: a user sees their own subscriptions, and an
 * organisation's only as its owner or billing admin (403 for a plain member); to anyone else it
 * does not exist (404).
 */
export async function visibleSubscription(
  db: DbOrTx,
  principal: Principal,
  id: string,
): Promise<SubscriptionRecord> {
  const record = await repo.find(db, id);
  const notFound = () => new NotFoundError('Subscription', id);
  if (!record) throw notFound();
  const owner = { userId: record.ownerUserId, organizationId: record.ownerOrganizationId };
  await assertOwnerAccess(db, principal, owner, notFound);
  return record;
}

/** The user's own subscriptions, or those of an organisation whose billing they manage. */
export async function subscriptionsOfPayer(
  db: DbOrTx,
  principal: Principal,
  organizationId: string | undefined,
): Promise<SubscriptionRecord[]> {
  const payer = await payerOf(db, principal, organizationId);
  return payer.kind === 'user'
    ? repo.listOfUser(db, payer.userId)
    : repo.listOfOrganization(db, payer.organizationId);
}
