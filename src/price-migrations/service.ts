import type { Logger } from 'pino';
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/client.js';
import type { MigrationItemStatus } from '../db/schema/index.js';
import { ConflictError, NotFoundError } from '../http/errors.js';
import type { PiiCipher } from '../shared/crypto.js';
import { newId } from '../shared/ids.js';
import { licensedItem } from '../stripe/mapping.js';
import type { StripeSubscriptions } from '../stripe/subscriptions.js';
import { SCHEDULED_METADATA } from '../subscriptions/views.js';
import { CLEARED_SCHEDULE } from '../subscriptions/write-outcomes.js';
import { type DryRun, type DryRunLine, dryRun, type MigrationRequest } from './checks.js';
import { migrationKey } from './keys.js';
import { type MigrationRow, priceMigrationRepository as repo } from './repository.js';

export interface PriceMigrationDeps {
  db: Db;
  cipher: PiiCipher;
  stripe: StripeSubscriptions;
  /** Tells the background runner a migration is waiting. */
  nudge: () => void;
  logger: Logger;
}

/** An item as the admin reads it: `renewed` is a scheduled move the subscription has since renewed into. */
export type ItemState = MigrationItemStatus | 'renewed';

export interface MigrationItemDetail extends Omit<DryRunLine, 'nextInvoiceAt'> {
  status: ItemState;
  reason: string | null;
  scheduleId: string | null;
  effectiveAt: Date | null;
}

export interface MigrationSummary {
  migration: MigrationRow;
  counts: Record<ItemState, number>;
  total: number;
}

const EMPTY_COUNTS = (): Record<ItemState, number> => ({
  pending: 0,
  processing: 0,
  scheduled: 0,
  moved: 0,
  skipped: 0,
  failed: 0,
  undone: 0,
  renewed: 0,
});

/** Price migrations: the dry run, the start (the runner does the moves), progress, and undo. */
export class PriceMigrationService {
  constructor(private readonly deps: PriceMigrationDeps) {}

  dryRun(request: MigrationRequest): Promise<DryRun> {
    return dryRun(this.deps.db, this.deps.cipher, request);
  }

  /** Fixes the subscriptions the dry run shows and hands them to the runner. */
  async start(request: MigrationRequest & { notify_customers: boolean }): Promise<MigrationSummary> {
    const plan = await this.dryRun(request);
    if (!plan.lines.length) {
      throw new ConflictError(
        'no_subscriptions',
        'No subscription on these prices can be migrated (none, or all held by another migration)',
      );
    }
    const id = newId('pmig');
    await this.deps.db.transaction(async (tx) => {
      await repo.insert(
        tx,
        {
          id,
          fromPriceIds: plan.from.map((p) => p.stripePriceId),
          toPriceId: plan.to.stripePriceId,
          currency: plan.currency,
          timing: request.timing,
          notifyCustomers: request.notify_customers,
          mrrBefore: plan.mrrBefore,
          mrrAfter: plan.mrrAfter,
        },
        plan.lines.map((line, position) => ({
          migrationId: id,
          subscriptionId: line.subscriptionId,
          customerId: line.customerId,
          position,
          fromPriceId: line.fromPriceId,
          quantity: line.quantity,
          amountBefore: line.amountBefore,
          amountAfter: line.amountAfter,
        })),
      );
      await recordAudit(tx, {
        action: 'price_migration.create',
        objectType: 'price_migration',
        objectId: id,
        after: {
          from_price_ids: plan.from.map((p) => p.stripePriceId),
          to_price_id: plan.to.stripePriceId,
          timing: request.timing,
          notify_customers: request.notify_customers,
          subscriptions: plan.lines.length,
        },
      });
    });
    this.deps.logger.info({ migrationId: id, subscriptions: plan.lines.length }, 'price migration started');
    this.deps.nudge();
    return this.summary(id);
  }

  async list(limit: number): Promise<MigrationSummary[]> {
    const rows = await repo.list(this.deps.db, limit);
    return Promise.all(rows.map((row) => this.summaryOf(row)));
  }

  async get(id: string): Promise<MigrationSummary & { items: MigrationItemDetail[] }> {
    const migration = await this.find(id);
    const items = await this.details(migration);
    return { ...(await this.summaryOf(migration)), items };
  }

  async summary(id: string): Promise<MigrationSummary> {
    return this.summaryOf(await this.find(id));
  }

  /**
   * Releases the schedules of the moves still waiting for their renewal; those that renewed (or
   * were moved at once) stay on the new price. Repeating it after a failure finishes what is left.
   */
  async undo(id: string): Promise<MigrationSummary> {
    const migration = await this.find(id);
    if (migration.timing !== 'renewal') {
      throw new ConflictError(
        'not_undoable',
        'Only a migration at renewal can be undone; these moved at once',
      );
    }
    if (migration.status === 'running') {
      throw new ConflictError(
        'migration_running',
        'The migration is still running; undo it once it has finished',
      );
    }
    if (migration.status === 'undone') {
      throw new ConflictError('already_undone', 'The migration has been undone already');
    }
    for (const item of await this.details(migration)) {
      if (item.status !== 'scheduled') continue;
      await this.undoOne(migration, item);
    }
    await this.deps.db.transaction(async (tx) => {
      await repo.finish(tx, migration.id, 'undone', new Date());
      await recordAudit(tx, {
        action: 'price_migration.undo',
        objectType: 'price_migration',
        objectId: migration.id,
        before: { status: migration.status },
        after: { status: 'undone' },
      });
    });
    return this.summary(id);
  }

  private async undoOne(migration: MigrationRow, item: MigrationItemDetail): Promise<void> {
    const { stripe, db } = this.deps;
    const key = (step: string) => migrationKey(migration.id, item.subscriptionId, `undo:${step}`);
    const { subscription: sub } = await stripe.retrieve(item.subscriptionId);
    const { scheduleId } = item;
    const current = typeof sub.schedule === 'string' ? sub.schedule : sub.schedule?.id;
    // Renewed into the new price already (the mirror had not heard yet): it stays.
    if (licensedItem(sub).price.id === migration.toPriceId) return;
    if (scheduleId && current === scheduleId) await stripe.releaseSchedule(scheduleId, key('release'));
    if (sub.metadata?.[SCHEDULED_METADATA.price] === migration.toPriceId) {
      await stripe.update(sub.id, { metadata: CLEARED_SCHEDULE }, key('metadata'));
    }
    await db.transaction(async (tx) => {
      await repo.setItem(tx, migration.id, item.subscriptionId, { status: 'undone', effectiveAt: null });
      await recordAudit(tx, {
        action: 'subscription.price_migration_undone',
        objectType: 'subscription',
        objectId: item.subscriptionId,
        before: { scheduled_price_id: migration.toPriceId },
        after: { scheduled_price_id: null },
      });
    });
  }

  private async find(id: string): Promise<MigrationRow> {
    const migration = await repo.find(this.deps.db, id);
    if (!migration) throw new NotFoundError('Price migration', id);
    return migration;
  }

  private async details(migration: MigrationRow): Promise<MigrationItemDetail[]> {
    const open = (sealed: string | null) => (sealed ? this.deps.cipher.decrypt(sealed) : null);
    return (await repo.items(this.deps.db, migration)).map(({ item, currentPriceId, ...contact }) => ({
      subscriptionId: item.subscriptionId,
      customerId: item.customerId,
      customerName: open(contact.nameEncrypted),
      customerEmail: open(contact.emailEncrypted),
      fromPriceId: item.fromPriceId,
      quantity: item.quantity,
      amountBefore: item.amountBefore,
      amountAfter: item.amountAfter,
      status: item.status === 'scheduled' && currentPriceId === migration.toPriceId ? 'renewed' : item.status,
      reason: item.reason,
      scheduleId: item.scheduleId,
      effectiveAt: item.effectiveAt,
    }));
  }

  private async summaryOf(migration: MigrationRow): Promise<MigrationSummary> {
    const counts = EMPTY_COUNTS();
    let total = 0;
    for (const row of await repo.counts(this.deps.db, [migration.id])) {
      counts[row.status] += row.count;
      total += row.count;
    }
    counts.renewed = await repo.renewedCount(this.deps.db, migration);
    counts.scheduled -= counts.renewed;
    return { migration, counts, total };
  }
}
