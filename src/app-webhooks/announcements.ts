import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { customers, organizationMembers, subscriptions } from '../db/schema/index.js';
import { ACCESS_STATUSES } from '../entitlements/rules.js';
import { subscriptionRepository } from '../subscriptions/repository.js';
import { type SubscriptionView, toSubscriptionView } from '../subscriptions/views.js';
import { APP_EVENT_TYPES, type AppEventData, type AppEventType } from './catalog.js';
import {
  changesBetween,
  type EntitlementSet,
  entitlementSetOf,
  lastAnnouncedSet,
  sameSet,
} from './entitlement-announcements.js';
import type { PayerIds } from './fact-announcements.js';
import { announce, userSubject } from './outbox.js';
import { wantedTypes } from './wanted-types.js';

/** What made a change: it keys the messages, so the same cause twice announces once. */
export interface Cause {
  /** A Stripe (or Recur) event's id, or `api:<id>` for a write Recur's API made itself. */
  key: string;
  /** When the change happened: the messages' timestamp. */
  at: Date;
}

/** The objects a write may change as the host app sees them. */
export interface Watched {
  subscriptions?: readonly string[];
  /**
   * Their users' entitlements are compared (a subscription's customer, a deleted customer …): a
   * user's customer's user, an organisation's customer's every member.
   */
  customers?: readonly (string | null)[];
  /** Users whose entitlements the write may change by itself (joining or leaving an organisation). */
  users?: readonly string[];
}

/** Sends one message of the catalogue in the caller's transaction (see outbox.ts). */
export function announceOne<T extends AppEventType>(
  tx: DbOrTx,
  type: T,
  subject: string,
  dedupeKey: string,
  at: Date,
  data: AppEventData<T>,
): Promise<string | null> {
  return announce(tx, { type, subject, dedupeKey, at, data });
}

const SUBSCRIPTION_TYPES: AppEventType[] = APP_EVENT_TYPES.filter((t) => t.startsWith('subscription.'));

/**
 * Announces what a write changed in the subscriptions and entitlements the host app sees: it reads
 * them before the write and again after, in the write's transaction, and says what differs. Nothing
 * is read when no endpoint wants the messages.
 */
export class ChangeAnnouncer {
  constructor(private readonly deps: { graceDays: number }) {}

  async watch(tx: DbOrTx, watched: Watched): Promise<ChangeWatch> {
    const wanted = await wantedTypes(tx);
    const now = new Date();
    const views = new Map<string, SubscriptionView | null>();
    if (SUBSCRIPTION_TYPES.some((t) => wanted.has(t)))
      for (const id of watched.subscriptions ?? []) views.set(id, await viewOf(tx, id));
    const customerIds = (watched.customers ?? []).filter((id): id is string => id !== null);
    const users = new Map<string, EntitlementSet>();
    if (wanted.has('entitlements.updated') && watched.subscriptions?.length)
      customerIds.push(...(await customersOf(tx, watched.subscriptions)));
    if (wanted.has('entitlements.updated') && (customerIds.length || watched.users?.length)) {
      const userIds = new Set([...(watched.users ?? []), ...(await usersOf(tx, customerIds))]);
      for (const userId of userIds)
        users.set(
          userId,
          (await lastAnnouncedSet(tx, userId)) ??
            (await entitlementSetOf(tx, userId, now, this.deps.graceDays)),
        );
    }
    return new ChangeWatch(this.deps.graceDays, now, wanted, views, [...new Set(customerIds)], users);
  }

  /** A watch of users alone, for a write that changes no subscription (a membership). */
  watchUsers(tx: DbOrTx, userIds: readonly string[]): Promise<ChangeWatch> {
    return this.watch(tx, { users: userIds });
  }

  /** The watch, the write and the announcements, for a write with nothing else to do in between. */
  async around<T>(tx: DbOrTx, watched: Watched, cause: Cause, write: () => Promise<T>): Promise<T> {
    const watch = await this.watch(tx, watched);
    const result = await write();
    await watch.announce(tx, cause);
    return result;
  }

  /**
   * Entitlements that change by time alone: the user's set is compared with the last one sent.
   * `until` names the moment access ended, which keys the message (one per ending).
   */
  async announceExpiry(tx: DbOrTx, userId: string, until: Date, now: Date): Promise<boolean> {
    const before =
      (await lastAnnouncedSet(tx, userId)) ??
      (await entitlementSetOf(tx, userId, new Date(until.getTime() - 1), this.deps.graceDays));
    const after = await entitlementSetOf(tx, userId, now, this.deps.graceDays);
    if (sameSet(before, after)) return false;
    const key = `access_ended:${userId}:${until.toISOString()}`;
    return (await announceEntitlements(tx, userId, before, after, key, now)) !== null;
  }
}

export class ChangeWatch {
  constructor(
    private readonly graceDays: number,
    private readonly now: Date,
    private readonly wanted: ReadonlySet<AppEventType>,
    private readonly subscriptionsBefore: ReadonlyMap<string, SubscriptionView | null>,
    private readonly customerIds: readonly string[],
    private readonly usersBefore: ReadonlyMap<string, EntitlementSet>,
  ) {}

  /** Says what changed since the watch began. */
  async announce(tx: DbOrTx, cause: Cause): Promise<void> {
    for (const [id, before] of this.subscriptionsBefore) {
      const record = await subscriptionRepository.find(tx, id);
      if (record)
        await announceSubscription(tx, this.wanted, cause, before, toSubscriptionView(record), {
          payer: { user_id: record.ownerUserId, organization_id: record.ownerOrganizationId },
          invoiceId: record.subscription.latestInvoiceId,
        });
    }
    if (!this.wanted.has('entitlements.updated')) return;
    // A customer linked to another user in the write changes both users' sets.
    const users = new Set([...this.usersBefore.keys(), ...(await usersOf(tx, this.customerIds))]);
    for (const userId of users) {
      const before = this.usersBefore.get(userId) ?? (await lastAnnouncedSet(tx, userId)) ?? NO_ACCESS;
      const after = await entitlementSetOf(tx, userId, this.now, this.graceDays);
      if (!sameSet(before, after))
        await announceEntitlements(tx, userId, before, after, `${cause.key}:entitlements.updated`, cause.at);
    }
  }
}

/**
 * Usage that crossed a threshold of a limit (`usage.threshold_reached`) changes the standing the
 * entitlement set carries: each user who holds the feature through the payer is sent the set, so a
 * host app that follows `entitlements.updated` alone hears of the limit reached too.
 */
export async function announceUsageStanding(
  tx: DbOrTx,
  userIds: readonly string[],
  keyPrefix: string,
  at: Date,
  graceDays: number,
): Promise<void> {
  if (!(await wantedTypes(tx)).has('entitlements.updated')) return;
  for (const userId of userIds) {
    const before = (await lastAnnouncedSet(tx, userId)) ?? NO_ACCESS;
    const after = await entitlementSetOf(tx, userId, at, graceDays);
    await announceEntitlements(tx, userId, before, after, keyPrefix, at);
  }
}

const NO_ACCESS: EntitlementSet = { benefits: {}, sources: {}, subscriptions: [], purchases: [], usage: {} };

function announceEntitlements(
  tx: DbOrTx,
  userId: string,
  before: EntitlementSet,
  after: EntitlementSet,
  keyPrefix: string,
  at: Date,
): Promise<string | null> {
  const subject = userSubject(userId);
  return announceOne(tx, 'entitlements.updated', subject, `${keyPrefix}:${subject}`, at, {
    user_id: userId,
    entitlements: after,
    changes: changesBetween(before, after),
  });
}

async function viewOf(tx: DbOrTx, id: string): Promise<SubscriptionView | null> {
  const record = await subscriptionRepository.find(tx, id);
  return record ? toSubscriptionView(record) : null;
}

/** The customers with a subscription to the plan that may give access: its benefits reach their users. */
export async function customersOnPlan(tx: DbOrTx, planId: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ customerId: subscriptions.customerId })
    .from(subscriptions)
    .where(and(eq(subscriptions.planId, planId), inArray(subscriptions.status, [...ACCESS_STATUSES])));
  return rows.map((r) => r.customerId);
}

async function customersOf(tx: DbOrTx, subscriptionIds: readonly string[]): Promise<string[]> {
  const rows = await tx
    .select({ customerId: subscriptions.customerId })
    .from(subscriptions)
    .where(inArray(subscriptions.id, [...subscriptionIds]));
  return rows.map((r) => r.customerId);
}

/**
 * The users (external ids) of customers, deleted ones included (deleting one takes its access): a
 * user's customer's user, and every member (any role) of an organisation's customer.
 */
async function usersOf(tx: DbOrTx, customerIds: readonly string[]): Promise<string[]> {
  if (customerIds.length === 0) return [];
  const rows = await tx
    .select({ externalId: customers.externalId, organizationId: customers.organizationId })
    .from(customers)
    .where(inArray(customers.id, [...customerIds]));
  const organizationIds = rows.map((r) => r.organizationId).filter((id): id is string => id !== null);
  const members = organizationIds.length
    ? await tx
        .select({ userId: organizationMembers.userId })
        .from(organizationMembers)
        .where(inArray(organizationMembers.organizationId, organizationIds))
    : [];
  return [
    ...new Set([
      ...rows.map((r) => r.externalId).filter((id): id is string => id !== null),
      ...members.map((m) => m.userId),
    ]),
  ];
}

/**
 * created when the subscription is new, canceled when it ends, renewed when a new period begins,
 * and updated with the fields that changed whenever the view differs (beside canceled or renewed).
 * created, canceled and renewed are keyed by the subscription, so two paths that see the same
 * change (Recur's own write, then its event) announce it once.
 */
async function announceSubscription(
  tx: DbOrTx,
  wanted: ReadonlySet<AppEventType>,
  cause: Cause,
  before: SubscriptionView | null,
  after: SubscriptionView,
  facts: { payer: PayerIds; invoiceId: string | null },
): Promise<void> {
  const subject = `subscription:${after.id}`;
  const data = { ...facts.payer, subscription: after };
  const send = <T extends AppEventType>(type: T, key: string, payload: AppEventData<T>) =>
    wanted.has(type) ? announceOne(tx, type, subject, key, cause.at, payload) : null;
  if (!before) {
    await send('subscription.created', `subscription.created:${after.id}`, data);
    if (after.status === 'cancelled')
      await send('subscription.canceled', `subscription.canceled:${after.id}`, data);
    return;
  }
  const changed = changedFields(before, after);
  if (changed.length === 0) return;
  await send('subscription.updated', `${cause.key}:subscription.updated:${subject}`, {
    ...data,
    changed,
    previous: Object.fromEntries(changed.map((field) => [field, before[field]])),
  });
  if (before.status !== 'cancelled' && after.status === 'cancelled')
    await send('subscription.canceled', `subscription.canceled:${after.id}`, data);
  const began = after.current_period_start;
  if (began && before.current_period_start && began > before.current_period_start)
    await send('subscription.renewed', `subscription.renewed:${after.id}:${began}`, {
      ...data,
      invoice_id: facts.invoiceId,
    });
}

function changedFields(before: SubscriptionView, after: SubscriptionView): Array<keyof SubscriptionView> {
  return (Object.keys(after) as Array<keyof SubscriptionView>).filter(
    (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  );
}
