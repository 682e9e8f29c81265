import type Stripe from 'stripe';
import type { Db } from '../db/client.js';
import type { MirrorObject } from '../mirror/repository.js';
import type { PiiCipher } from '../shared/crypto.js';
import { DELETED_METADATA, PLAN_ID_METADATA } from '../stripe/index.js';
import { isResourceMissing, type StripeLists } from '../stripe/lists.js';
import {
  chargeRow,
  customerRow,
  invoiceRow,
  paymentIntentRow,
  paymentMethodRow,
  refundRow,
  subscriptionItemRows,
  subscriptionRow,
} from '../stripe/mapping.js';
import { type Ask, customerPaymentMethodPages, listAll, remainingSubscriptionItems } from './listing.js';
import { withItems } from './mirror-writer.js';
import type { SyncObject } from './objects.js';
import type { StripeCaller } from './pacing.js';
import { syncRepository as repo } from './repository.js';
import { compareFields, type Difference, type Row, sameJson, sameName } from './row-compare.js';

export type { Difference } from './row-compare.js';

export interface ObjectSummary {
  stripe: number;
  mirror: number;
  missing: number;
  extra: number;
  different: number;
}

export interface ReconcileReport {
  checkedAt: Date;
  objects: Partial<Record<SyncObject, ObjectSummary>>;
  /** The first MAX_LISTED differences; the summaries count them all. */
  differences: Difference[];
  truncated: boolean;
}

const MAX_LISTED = 1000;

/**
 * Compares the mirror with Stripe, type by type, and reports each difference. It writes nothing and
 * prints no personal data: emails are compared by their keyed hash, names after decryption, and
 * both are reported only as "differs". Stripe is listed while webhooks keep arriving, so an object
 * made or changed during the check may show up as a difference that the next check no longer finds.
 */
export class Reconciler {
  constructor(private readonly deps: { db: Db; lists: StripeLists; call: StripeCaller; cipher: PiiCipher }) {}

  async run(objects: SyncObject[], signal?: AbortSignal): Promise<ReconcileReport> {
    const report = new ReportBuilder();
    const ask: Ask = (operation) => this.deps.call(operation, { signal });
    const { lists } = this.deps;
    let stripeCustomerIds: string[] = [];
    for (const object of objects) {
      report.start(object);
      switch (object) {
        case 'products':
          await this.products(report, await listAll(lists, ask, 'products'));
          break;
        case 'prices':
          await this.prices(report, await listAll(lists, ask, 'prices'));
          break;
        case 'customers': {
          const listed = await listAll(lists, ask, 'customers');
          stripeCustomerIds = listed.map((c) => c.id);
          await this.compareMirror(
            report,
            'customers',
            'customer',
            listed,
            (c) => customerRow(c, this.deps.cipher),
            {
              live: (row) => row.deleted !== true,
              extra: (c, row) => this.personalData(c, row),
            },
          );
          break;
        }
        case 'payment_methods':
          await this.paymentMethods(report, ask, stripeCustomerIds);
          break;
        case 'subscriptions':
          await this.subscriptions(report, ask);
          break;
        case 'invoices':
          await this.compareMirror(
            report,
            object,
            'invoice',
            await listAll(lists, ask, 'invoices'),
            invoiceRow,
          );
          break;
        case 'payment_intents':
          await this.compareMirror(
            report,
            object,
            'payment_intent',
            await listAll(lists, ask, 'payment_intents'),
            paymentIntentRow,
          );
          break;
        case 'charges':
          await this.compareMirror(report, object, 'charge', await listAll(lists, ask, 'charges'), chargeRow);
          break;
        case 'refunds':
          await this.compareMirror(report, object, 'refund', await listAll(lists, ask, 'refunds'), refundRow);
          break;
      }
    }
    return report.build();
  }

  private async compareMirror<T extends { id: string }>(
    report: ReportBuilder,
    object: SyncObject,
    table: MirrorObject,
    listed: T[],
    toRow: (o: T) => Record<string, unknown>,
    options: {
      live?: (row: Row) => boolean;
      rows?: Row[];
      extra?: (o: T, row: Row) => Difference[];
    } = {},
  ): Promise<void> {
    const rows = options.rows ?? (await repo.mirrorRows(this.deps.db, table));
    const live = rows.filter(options.live ?? (() => true));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const listedIds = new Set(listed.map((o) => o.id));
    report.count(object, listed.length, live.length);
    for (const item of listed) {
      const row = byId.get(item.id);
      if (!row) {
        report.add({ object, id: item.id, kind: 'missing' });
        continue;
      }
      for (const d of compareFields(object, item.id, toRow(item), row)) report.add(d);
      for (const d of options.extra?.(item, row) ?? []) report.add(d);
    }
    for (const row of live) if (!listedIds.has(row.id)) report.add({ object, id: row.id, kind: 'extra' });
  }

  private personalData(customer: Stripe.Customer, row: Row): Difference[] {
    return sameName(this.deps.cipher, customer, row)
      ? []
      : [{ object: 'customers', id: customer.id, kind: 'different', field: 'name', note: 'name differs' }];
  }

  private async subscriptions(report: ReportBuilder, ask: Ask): Promise<void> {
    const { db, lists } = this.deps;
    const listed = await listAll(lists, ask, 'subscriptions');
    const full = await remainingSubscriptionItems(lists, ask, listed);
    const planOfPrice = new Map((await repo.catalogPrices(db)).map((p) => [p.stripePriceId, p.planId]));
    const items = new Map<string, string[]>();
    for (const item of await repo.subscriptionItems(db)) {
      items.set(item.subscriptionId, [...(items.get(item.subscriptionId) ?? []), itemLabel(item)]);
    }
    await this.compareMirror(
      report,
      'subscriptions',
      'subscription',
      listed.map((s) => withItems(s, full)),
      (s) => {
        const row = subscriptionRow(s);
        return { ...row, planId: (row.priceId && planOfPrice.get(row.priceId)) ?? null };
      },
      {
        // External subscriptions live in Recur alone; Stripe not listing them is no difference.
        rows: (await repo.mirrorRows(db, 'subscription')).filter((r) => r.provider === 'stripe'),
        extra: (s, row) => {
          const stripe = subscriptionItemRows(s).map(itemLabel).sort();
          const mirror = (items.get(row.id) ?? []).sort();
          return sameJson(stripe, mirror)
            ? []
            : [{ object: 'subscriptions', id: s.id, kind: 'different', field: 'items', stripe, mirror }];
        },
      },
    );
  }

  /** Per customer, as Stripe lists them: those of the mirror's customers and of Stripe's. */
  private async paymentMethods(report: ReportBuilder, ask: Ask, stripeCustomerIds: string[]): Promise<void> {
    const { db, lists } = this.deps;
    const customerIds = new Set(stripeCustomerIds);
    for (let after: string | null = null; ; ) {
      const batch = await repo.customerIdsAfter(db, after, 500);
      if (!batch.length) break;
      for (const id of batch) customerIds.add(id);
      after = batch.at(-1)!;
    }
    const listed: Stripe.PaymentMethod[] = [];
    for (const customerId of [...customerIds].sort()) {
      // A customer only the mirror knows has no payment methods in Stripe: the mirror's are extra.
      const pages = await customerPaymentMethodPages(lists, ask, customerId).catch((error: unknown) => {
        if (isResourceMissing(error)) return [];
        throw error;
      });
      for (const page of pages) listed.push(...page.data);
    }
    const rows = (await repo.mirrorRows(db, 'payment_method')).filter((r) =>
      customerIds.has(String(r.customerId)),
    );
    await this.compareMirror(report, 'payment_methods', 'payment_method', listed, paymentMethodRow, { rows });
  }

  /** Products as the catalog import treats them: a deleted plan's product and leftovers are not plans. */
  private async products(report: ReportBuilder, listed: Stripe.Product[]): Promise<void> {
    const plans = await repo.catalogPlans(this.deps.db);
    const planOf = new Map(plans.map((p) => [p.stripeProductId, p]));
    const gone = (p: Stripe.Product) => p.metadata[DELETED_METADATA] === 'true';
    const expected = listed.filter(
      (p) => !gone(p) && (planOf.has(p.id) || !(p.metadata[PLAN_ID_METADATA] && !p.active)),
    );
    const expectedIds = new Set(expected.map((p) => p.id));
    report.count('products', expected.length, plans.length);
    for (const product of expected) {
      const plan = planOf.get(product.id);
      if (!plan) {
        report.add({ object: 'products', id: product.id, kind: 'missing' });
        continue;
      }
      const want = {
        name: product.name,
        description: product.description ?? null,
        status: product.active ? 'active' : 'archived',
      };
      for (const d of compareFields('products', product.id, want, plan as unknown as Row)) report.add(d);
    }
    for (const plan of plans) {
      if (!expectedIds.has(plan.stripeProductId))
        report.add({ object: 'products', id: plan.stripeProductId, kind: 'extra' });
    }
  }

  /**
   * Prices of products that are plans here, the ones the catalog imports: recurring prices of
   * recurring plans, one-time prices of one-time plans.
   */
  private async prices(report: ReportBuilder, listed: Stripe.Price[]): Promise<void> {
    const { db } = this.deps;
    const plansHere = await repo.catalogPlans(db);
    const productsHere = new Set(
      plansHere.filter((p) => p.kind !== 'one_time').map((p) => p.stripeProductId),
    );
    const oneTimeHere = new Set(plansHere.filter((p) => p.kind === 'one_time').map((p) => p.stripeProductId));
    const mirrored = await repo.catalogPrices(db);
    const priceOf = new Map(mirrored.map((p) => [p.stripePriceId, p]));
    const productOf = (p: Stripe.Price) => (typeof p.product === 'string' ? p.product : p.product.id);
    const expected = listed.filter((p) =>
      p.recurring ? productsHere.has(productOf(p)) : oneTimeHere.has(productOf(p)),
    );
    const listedIds = new Set(listed.map((p) => p.id));
    report.count('prices', expected.length, mirrored.length);
    for (const price of expected) {
      const row = priceOf.get(price.id);
      if (!row) {
        report.add({ object: 'prices', id: price.id, kind: 'missing' });
        continue;
      }
      const want = {
        active: price.active,
        lookupKey: price.lookup_key,
        currency: price.currency,
        interval: price.recurring?.interval ?? null,
        intervalCount: price.recurring?.interval_count ?? 1,
        ...(price.billing_scheme === 'tiered' ? {} : { unitAmount: price.unit_amount ?? 0 }),
      };
      for (const d of compareFields('prices', price.id, want, row as unknown as Row)) report.add(d);
    }
    for (const row of mirrored) {
      if (!listedIds.has(row.stripePriceId))
        report.add({ object: 'prices', id: row.stripePriceId, kind: 'extra' });
    }
  }
}

class ReportBuilder {
  private readonly objects: Partial<Record<SyncObject, ObjectSummary>> = {};
  private readonly differences: Difference[] = [];
  private total = 0;

  start(object: SyncObject): void {
    this.objects[object] = { stripe: 0, mirror: 0, missing: 0, extra: 0, different: 0 };
  }

  count(object: SyncObject, stripe: number, mirror: number): void {
    Object.assign(this.objects[object]!, { stripe, mirror });
  }

  add(difference: Difference): void {
    this.objects[difference.object]![difference.kind]++;
    this.total++;
    if (this.differences.length < MAX_LISTED) this.differences.push(difference);
  }

  build(): ReconcileReport {
    return {
      checkedAt: new Date(),
      objects: this.objects,
      differences: this.differences,
      truncated: this.total > this.differences.length,
    };
  }
}

function itemLabel(item: { id: string; priceId: string; quantity?: number | null }): string {
  return `${item.id}: ${item.priceId} × ${item.quantity ?? 1}`;
}
