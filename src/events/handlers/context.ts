import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { Tx } from '../../db/client.js';
import { freshness, type MirrorObject, type WriteMode } from '../../mirror/repository.js';
import type { PiiCipher } from '../../shared/crypto.js';
import type { StripeObjects } from '../../stripe/objects.js';

export interface HandlerContext {
  tx: Tx;
  event: Stripe.Event;
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

/**
 * The ordering rule every mirror write follows. A snapshot newer than the row is applied as is; an
 * older one is dropped; on a same-second tie the payload cannot be trusted to be the last word, so
 * the object is read again from Stripe and stamped with Stripe's clock at that read.
 */
export async function applyInOrder<T extends { id: string }>(
  ctx: HandlerContext,
  object: MirrorObject,
  snapshot: T,
  write: (current: T, stamp: Date, mode: WriteMode) => Promise<boolean>,
): Promise<HandlerResult> {
  // The common case, a snapshot newer than the row, is decided and written in one statement.
  if (await write(snapshot, ctx.eventAt, 'if-newer')) return 'applied';
  const relation = await freshness(ctx.tx, object, snapshot.id, ctx.eventAt);
  if (relation !== 'same') return 'stale';
  const fetched = await ctx.objects.retrieve(object, snapshot.id);
  if (!fetched) return 'noop';
  const stamp = new Date(
    Math.max(ctx.eventAt.getTime(), Math.floor(fetched.fetchedAt.getTime() / 1000) * 1000),
  );
  await write(fetched.object as T, stamp, 'always');
  return 'applied';
}
