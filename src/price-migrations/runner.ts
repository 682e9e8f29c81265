// Works through unfinished migrations in the background, one subscription at a time. Each try of
// a subscription is marked before it reaches Stripe and carries idempotency keys made of the
// migration's and the subscription's ids, so a try cut short by a crash is repeated with the same
// keys (Stripe answers what it did the first time, no second schedule) and one already done is
// never tried again.
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { Db } from '../db/client.js';
import { UpstreamError } from '../http/errors.js';
import { notificationRepository } from '../notifications/repository.js';
import { meteredRepository } from '../plans/metered-repository.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import { licensedItem } from '../stripe/mapping.js';
import { changedItems, type ItemChange, type StripeSubscriptions } from '../stripe/subscriptions.js';
import { SCHEDULED_METADATA } from '../subscriptions/views.js';
import { CLEARED_SCHEDULE } from '../subscriptions/write-outcomes.js';
import { migrationKey } from './keys.js';
import { type MigrationItemRow, type MigrationRow, priceMigrationRepository as repo } from './repository.js';

const ENDED = ['canceled', 'incomplete_expired', 'incomplete', 'unpaid'];
const LEASE_MS = 60_000;

export interface RunnerDeps {
  db: Db;
  stripe: StripeSubscriptions;
  intervalSeconds: number;
  logger: Logger;
}

type Outcome =
  | { status: 'scheduled'; scheduleId: string; effectiveAt: Date }
  | { status: 'moved'; effectiveAt: Date }
  | { status: 'skipped'; reason: string };

export class PriceMigrationRunner {
  private readonly task: PeriodicTask<number>;
  private stopping = false;

  constructor(private readonly deps: RunnerDeps) {
    this.task = new PeriodicTask(
      () =>
        this.runOnce().catch((err) => {
          deps.logger.error({ err }, 'price migration pass failed; the next pass resumes it');
          return 0;
        }),
      deps.intervalSeconds * 1000,
    );
  }

  /** Starts the passes, the first at once: a migration a crash left unfinished is picked up. */
  start(): void {
    this.stopping = false;
    this.task.start({ runNow: true });
  }

  /** Stops after the subscription in hand; the migration's lease is given back for the next runner. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.task.stop();
  }

  /** A pass now, as soon as the pass in flight (if any) is done: a new migration starts at once. */
  nudge(): void {
    void this.task.runOnce().catch(() => {});
  }

  /** Runs every unfinished migration no other runner holds; answers how many subscriptions were done. */
  async runOnce(): Promise<number> {
    let done = 0;
    for (;;) {
      if (this.stopping) return done;
      const migration = await repo.claim(this.deps.db, new Date(), LEASE_MS);
      if (!migration) return done;
      try {
        done += await this.run(migration);
      } finally {
        await repo.renew(this.deps.db, migration.id, null);
      }
    }
  }

  private async run(migration: MigrationRow): Promise<number> {
    const log = this.deps.logger.child({ migrationId: migration.id });
    let done = 0;
    for (;;) {
      const batch = await repo.unfinished(this.deps.db, migration.id, 50);
      if (!batch.length) {
        await repo.finish(this.deps.db, migration.id, 'completed', new Date());
        log.info({ done }, 'price migration completed');
        return done;
      }
      for (const item of batch) {
        if (this.stopping) return done;
        await repo.renew(this.deps.db, migration.id, new Date(Date.now() + LEASE_MS));
        await this.moveOne(migration, item);
        done += 1;
      }
    }
  }

  /**
   * One subscription: marked as tried, moved in Stripe, then recorded with its notice. Its item row
   * is the record of what the runner did to it (the admin's start and undo are in the audit trail).
   */
  private async moveOne(migration: MigrationRow, item: MigrationItemRow): Promise<void> {
    const { db } = this.deps;
    const retried = item.status === 'processing';
    if (!retried) await repo.setItem(db, migration.id, item.subscriptionId, { status: 'processing' });
    let outcome: Outcome;
    try {
      outcome = await this.move(migration, item, retried);
    } catch (error) {
      // Stripe unreachable or busy: the pass stops and the item is tried again, with the same keys.
      if (!(error instanceof UpstreamError) || error.status === 503) throw error;
      await repo.setItem(db, migration.id, item.subscriptionId, { status: 'failed', reason: error.message });
      this.deps.logger.warn(
        { migrationId: migration.id, subscriptionId: item.subscriptionId, err: error.message },
        'price migration could not move a subscription',
      );
      return;
    }
    const interval = migration.notifyCustomers ? await this.intervalOf(migration) : null;
    await db.transaction(async (tx) => {
      await repo.setItem(tx, migration.id, item.subscriptionId, {
        status: outcome.status,
        reason: outcome.status === 'skipped' ? outcome.reason : null,
        scheduleId: outcome.status === 'scheduled' ? outcome.scheduleId : null,
        effectiveAt: outcome.status === 'skipped' ? null : outcome.effectiveAt,
      });
      if (outcome.status === 'skipped') return;
      if (migration.notifyCustomers) {
        await notificationRepository.enqueue(tx, {
          customerId: item.customerId,
          kind: 'price_change',
          dedupeKey: `price_migration:${migration.id}:${item.subscriptionId}`,
          data: {
            subscription_id: item.subscriptionId,
            amount_before: item.amountBefore,
            amount: item.amountAfter,
            currency: migration.currency,
            interval,
            timing: migration.timing,
            effective_at: outcome.effectiveAt.toISOString(),
          },
        });
      }
    });
  }

  private async intervalOf(migration: MigrationRow): Promise<string | null> {
    const [price] = await repo.prices(this.deps.db, [migration.toPriceId]);
    return price?.interval ?? null;
  }

  private async move(migration: MigrationRow, item: MigrationItemRow, retried: boolean): Promise<Outcome> {
    const { stripe } = this.deps;
    const key = (step: string) => migrationKey(migration.id, item.subscriptionId, step);
    const { subscription: sub, at } = await stripe.retrieve(item.subscriptionId);
    if (ENDED.includes(sub.status)) return { status: 'skipped', reason: `The subscription is ${sub.status}` };
    if (sub.cancel_at_period_end || sub.cancel_at !== null) {
      return { status: 'skipped', reason: 'The subscription is cancelling' };
    }
    const licensed = licensedItem(sub);
    if (licensed.price.id === migration.toPriceId) {
      // A try that reached Stripe before a crash moved it: that was this migration's doing.
      return retried && migration.timing !== 'renewal'
        ? { status: 'moved', effectiveAt: at }
        : { status: 'skipped', reason: 'Already on the new price' };
    }
    if (!migration.fromPriceIds.includes(licensed.price.id)) {
      return {
        status: 'skipped',
        reason: `Its price changed to ${licensed.price.id} since the migration began`,
      };
    }
    const { change, planId } = await this.itemChange(licensed, migration);
    if (migration.timing === 'renewal') {
      if (sub.schedule && !retried) {
        return { status: 'skipped', reason: 'It has a pending change (a subscription schedule)' };
      }
      const schedule = await stripe.scheduleAtPeriodEnd(sub, change, key('schedule'));
      await stripe.update(sub.id, { metadata: scheduledMetadata(change, planId, licensed) }, key('metadata'));
      return {
        status: 'scheduled',
        scheduleId: schedule.id,
        effectiveAt: new Date(licensed.current_period_end * 1000),
      };
    }
    const moved = await stripe.update(
      sub.id,
      {
        items: changedItems(sub, change),
        proration_behavior: migration.timing === 'now_prorated' ? 'create_prorations' : 'none',
        ...(sub.metadata?.[SCHEDULED_METADATA.price] && { metadata: CLEARED_SCHEDULE }),
      },
      key('update'),
    );
    return { status: 'moved', effectiveAt: moved.at };
  }

  private async itemChange(
    licensed: Stripe.SubscriptionItem,
    migration: MigrationRow,
  ): Promise<{ change: ItemChange; planId: string }> {
    const [from, to] = [licensed.price.id, migration.toPriceId];
    const prices = await repo.prices(this.deps.db, [from, to]);
    const planOf = (id: string) => prices.find((p) => p.stripePriceId === id)?.planId ?? '';
    const change: ItemChange = {
      itemId: licensed.id,
      price: to,
      quantity: licensed.quantity ?? 1,
      // Another plan's price carries that plan's overage prices.
      ...(planOf(from) !== planOf(to) && {
        meteredPrices: await meteredRepository.forLicensedPrice(this.deps.db, to),
      }),
    };
    return { change, planId: planOf(to) };
  }
}

function scheduledMetadata(
  change: ItemChange,
  planId: string,
  licensed: Stripe.SubscriptionItem,
): Record<string, string> {
  return {
    [SCHEDULED_METADATA.price]: change.price,
    [SCHEDULED_METADATA.plan]: planId,
    [SCHEDULED_METADATA.quantity]: String(change.quantity),
    [SCHEDULED_METADATA.at]: String(licensed.current_period_end),
  };
}
