import type { SyncObjectCounts } from '../db/schema/sync.js';
import type { MirrorObject } from '../mirror/repository.js';

/**
 * What a sync imports, in the order it runs: the catalog first (so subscriptions find their plans),
 * customers before their payment methods (listed per customer), then subscriptions and history.
 */
export const SYNC_OBJECTS = [
  'products',
  'prices',
  'customers',
  'payment_methods',
  'subscriptions',
  'invoices',
  'payment_intents',
  'charges',
  'refunds',
] as const;

export type SyncObject = (typeof SYNC_OBJECTS)[number];

export type SyncMode = 'full' | 'incremental';

export type SyncTrigger = 'schedule' | 'manual' | 'cli';

/**
 * Incremental runs list these from `created[gte]` only. They are billing history: a new period, a
 * payment or a refund is a new object, and each settles soon after it is made (an invoice is
 * finalized and paid, a payment intent succeeds or fails) while webhooks report it. Everything else
 * (products, prices, customers, payment methods, subscriptions) changes in place at any age, so it
 * is listed in full every time. A late change to old history (a refund on a months-old charge
 * updating its `amount_refunded`) arrives by webhook; a full run or `sync --check` catches a missed one.
 */
export const LISTED_SINCE_IN_INCREMENTAL: ReadonlySet<SyncObject> = new Set([
  'invoices',
  'payment_intents',
  'charges',
  'refunds',
]);

/**
 * Subtracted from the start of the last successful run: objects created while it was listing, and
 * a clock that differs from Stripe's by a little, are listed again rather than missed.
 */
export const INCREMENTAL_MARGIN_MS = 60 * 60 * 1000;

/** The mirror table of each object type outside the plan catalog. */
export const MIRROR_OF: Record<Exclude<SyncObject, 'products' | 'prices'>, MirrorObject> = {
  customers: 'customer',
  payment_methods: 'payment_method',
  subscriptions: 'subscription',
  invoices: 'invoice',
  payment_intents: 'payment_intent',
  charges: 'charge',
  refunds: 'refund',
};

export type Counts = SyncObjectCounts[string];

export const zeroCounts = (): Counts => ({ seen: 0, created: 0, updated: 0, skipped: 0 });

export function addCounts(a: Counts, b: Counts): Counts {
  return {
    seen: a.seen + b.seen,
    created: a.created + b.created,
    updated: a.updated + b.updated,
    skipped: a.skipped + b.skipped,
  };
}

/** The requested types in run order, every type when none is named. */
export function inRunOrder(objects: readonly SyncObject[] | undefined): SyncObject[] {
  if (!objects?.length) return [...SYNC_OBJECTS];
  return SYNC_OBJECTS.filter((o) => objects.includes(o));
}

export function parseSyncObjects(value: string): { objects: SyncObject[]; unknown: string[] } {
  const names = value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const unknown = names.filter((o) => !(SYNC_OBJECTS as readonly string[]).includes(o));
  return { objects: inRunOrder(names.filter((o): o is SyncObject => !unknown.includes(o))), unknown };
}
