import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { Tx } from '../../db/client.js';
import { freshness, type MirrorObject, type WriteMode } from '../../mirror/repository.js';
import type { PaymentNotice } from '../../payment-webhook/notice.js';
import type { PiiCipher } from '../../shared/crypto.js';
import type { MirroredObjects, StripeObjects } from '../../stripe/objects.js';
import type { SubscriptionAnnouncement } from '../../subscriptions/creation.js';

/** An event that does not come from Stripe, in Stripe's envelope (see ../internal.ts). */
interface OwnEvent<T extends string, O> {
  id: string;
  object: 'event';
  type: T;
  created: number;
  livemode: boolean;
  data: { object: O };
}

/** Every event the worker hands to a handler: Stripe's, typed by the pinned SDK, and Recur's own. */
export type HandledEvent =
  | Stripe.Event
  | OwnEvent<'recur.subscription_created', SubscriptionAnnouncement>
  | OwnEvent<'payment_provider.payment_success' | 'payment_provider.payment_failed', PaymentNotice>;

export type HandledType = HandledEvent['type'];

/** The events of the given types, narrowed on `type` as the SDK's union allows. */
export type EventOf<T extends HandledType> = Extract<HandledEvent, { type: T }>;

export interface HandlerContext {
  tx: Tx;
  event: HandledEvent;
  /** When Stripe says the event happened. */
  eventAt: Date;
  objects: StripeObjects;
  cipher: PiiCipher;
  logger: Logger;
  /** Work to run after the transaction commits (cache invalidation, notifications …). */
  afterCommit(task: () => Promise<void>): void;
}

/** What a handler did: `applied` a change to the mirror, or had nothing newer to apply. */
export type HandlerResult = 'applied' | 'stale' | 'noop';

export type EventHandler = (ctx: HandlerContext) => Promise<HandlerResult>;

/** A handler that reads its event narrowed to the types it is registered for. */
export type TypedHandler<T extends HandledType> = (
  ctx: HandlerContext,
  event: EventOf<T>,
) => Promise<HandlerResult>;

function isOneOf<T extends HandledType>(event: HandledEvent, types: readonly T[]): event is EventOf<T> {
  return types.some((type) => type === event.type);
}

/**
 * Registers `handle` for `types`. The worker dispatches on the stored type, so the event always
 * narrows; a mismatch would be a wiring fault and fails the event loudly instead of misreading it.
 */
export function on<T extends HandledType>(
  types: readonly T[],
  handle: TypedHandler<T>,
): Record<string, EventHandler> {
  const handler: EventHandler = (ctx) => {
    const { event } = ctx;
    if (!isOneOf(event, types)) throw new Error(`a handler of ${types.join(', ')} was given ${event.type}`);
    return handle(ctx, event);
  };
  return Object.fromEntries(types.map((type) => [type, handler]));
}

/**
 * The ordering rule every mirror write follows. A snapshot newer than the row is applied as is; an
 * older one is dropped. Stripe's clock counts whole seconds, so two snapshots of one second are
 * ordered by the object's lifecycle where it tells (an invoice that is paid comes after the one
 * that is open: see `LIFECYCLE_RANKS`), and one that holds what the row holds needs no order. Only
 * when neither tells can the payload not be trusted to be the last word: the object is then read
 * again from Stripe and stamped with Stripe's clock at that read.
 */
export async function applyInOrder<K extends MirrorObject & keyof MirroredObjects>(
  ctx: HandlerContext,
  object: K,
  snapshot: MirroredObjects[K],
  write: (current: MirroredObjects[K], stamp: Date, mode: WriteMode) => Promise<boolean>,
): Promise<HandlerResult> {
  // The common case, a snapshot newer than the row, is decided and written in one statement.
  if (await write(snapshot, ctx.eventAt, 'if-newer')) return 'applied';
  const status = 'status' in snapshot && typeof snapshot.status === 'string' ? snapshot.status : null;
  const relation = await freshness(ctx.tx, object, snapshot.id, ctx.eventAt, status);
  if (relation !== 'same') return 'stale';
  const fetched = await ctx.objects.retrieve(object, snapshot.id);
  if (!fetched) return 'noop';
  const stamp = new Date(
    Math.max(ctx.eventAt.getTime(), Math.floor(fetched.fetchedAt.getTime() / 1000) * 1000),
  );
  await write(fetched.object, stamp, 'always');
  return 'applied';
}
