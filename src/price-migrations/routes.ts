import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MIGRATION_ITEM_STATUSES, MIGRATION_STATUSES, MIGRATION_TIMINGS } from '../db/schema/index.js';
import { idText } from '../http/input.js';
import { errorResponses, upstreamErrorResponses } from '../http/schemas.js';
import type { DryRun } from './checks.js';
import type { MigrationItemDetail, MigrationSummary, PriceMigrationService } from './service.js';

const priceId = idText(255);

const migrationRequest = z
  .object({
    from_price_ids: z
      .array(priceId)
      .min(1)
      .max(20)
      .describe('Stripe ids of the old prices, all in the currency and interval of the new one'),
    to_price_id: priceId.describe('Stripe id of the new price: an active, per-unit price of the catalog'),
    timing: z
      .enum(MIGRATION_TIMINGS)
      .describe(
        'renewal: each subscription moves when it renews (a subscription schedule); now_prorated: at once, the rest of the period prorated on the next invoice; now_unprorated: at once, no proration',
      ),
  })
  .strict();

const startRequest = migrationRequest
  .extend({
    notify_customers: z
      .boolean()
      .default(true)
      .describe('Email each customer about the new price when their subscription is scheduled or moved'),
  })
  .strict();

const priceView = z.object({
  id: z.string(),
  plan_id: z.string(),
  plan_name: z.string(),
  unit_amount: z.number().int(),
  currency: z.string(),
  interval: z.string(),
  interval_count: z.number().int(),
});

const lineFields = {
  subscription_id: z.string(),
  customer_id: z.string(),
  customer_name: z.string().nullable(),
  customer_email: z.string().nullable(),
  from_price_id: z.string(),
  quantity: z.number().int(),
  amount_before: z.number().int().describe('Per billing interval on the old price (minor units)'),
  amount_after: z.number().int().describe('Per billing interval on the new price (minor units)'),
};

const dryRunView = z.object({
  from: z.array(priceView),
  to: priceView,
  timing: z.enum(MIGRATION_TIMINGS),
  currency: z.string(),
  subscriptions: z.number().int(),
  mrr_before: z.number().int().describe('MRR of these subscriptions on their old prices (minor units)'),
  mrr_after: z.number().int().describe('MRR of these subscriptions on the new price (minor units)'),
  held_elsewhere: z.number().int().describe('Subscriptions left out: another migration holds them'),
  lines: z.array(
    z.object({
      ...lineFields,
      next_invoice_amount: z
        .number()
        .int()
        .describe('The next renewal invoice, on the new price (before tax and discounts)'),
      next_invoice_at: z.string().datetime().nullable(),
    }),
  ),
});

const countsView = z.object(
  Object.fromEntries([...MIGRATION_ITEM_STATUSES, 'renewed'].map((s) => [s, z.number().int()])) as Record<
    (typeof MIGRATION_ITEM_STATUSES)[number] | 'renewed',
    z.ZodNumber
  >,
);

const migrationView = z.object({
  id: z.string(),
  status: z.enum(MIGRATION_STATUSES),
  from_price_ids: z.array(z.string()),
  to_price_id: z.string(),
  currency: z.string(),
  timing: z.enum(MIGRATION_TIMINGS),
  notify_customers: z.boolean(),
  mrr_before: z.number().int(),
  mrr_after: z.number().int(),
  subscriptions: z.number().int(),
  done: z.number().int().describe('Subscriptions the runner has finished with (any outcome)'),
  counts: countsView.describe(
    'Subscriptions by state; renewed: scheduled and since renewed on the new price',
  ),
  created_at: z.string().datetime(),
  finished_at: z.string().datetime().nullable(),
  undone_at: z.string().datetime().nullable(),
});

const migrationDetail = migrationView.extend({
  items: z.array(
    z.object({
      ...lineFields,
      status: z.enum([...MIGRATION_ITEM_STATUSES, 'renewed']),
      reason: z.string().nullable(),
      schedule_id: z.string().nullable(),
      effective_at: z.string().datetime().nullable(),
    }),
  ),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function price(p: DryRun['to']): z.infer<typeof priceView> {
  return {
    id: p.stripePriceId,
    plan_id: p.planId,
    plan_name: p.planName,
    unit_amount: p.unitAmount,
    currency: p.currency,
    interval: p.interval,
    interval_count: p.intervalCount,
  };
}

function dryRunOf(run: DryRun): z.infer<typeof dryRunView> {
  return {
    from: run.from.map(price),
    to: price(run.to),
    timing: run.timing,
    currency: run.currency,
    subscriptions: run.lines.length,
    mrr_before: run.mrrBefore,
    mrr_after: run.mrrAfter,
    held_elsewhere: run.heldElsewhere,
    lines: run.lines.map((l) => ({
      subscription_id: l.subscriptionId,
      customer_id: l.customerId,
      customer_name: l.customerName,
      customer_email: l.customerEmail,
      from_price_id: l.fromPriceId,
      quantity: l.quantity,
      amount_before: l.amountBefore,
      amount_after: l.amountAfter,
      next_invoice_amount: l.amountAfter,
      next_invoice_at: iso(l.nextInvoiceAt),
    })),
  };
}

function summaryOf({ migration: m, counts, total }: MigrationSummary): z.infer<typeof migrationView> {
  return {
    id: m.id,
    status: m.status,
    from_price_ids: m.fromPriceIds,
    to_price_id: m.toPriceId,
    currency: m.currency,
    timing: m.timing,
    notify_customers: m.notifyCustomers,
    mrr_before: m.mrrBefore,
    mrr_after: m.mrrAfter,
    subscriptions: total,
    done: total - counts.pending - counts.processing,
    counts,
    created_at: m.createdAt.toISOString(),
    finished_at: iso(m.finishedAt),
    undone_at: iso(m.undoneAt),
  };
}

function itemOf(i: MigrationItemDetail): z.infer<typeof migrationDetail>['items'][number] {
  return {
    subscription_id: i.subscriptionId,
    customer_id: i.customerId,
    customer_name: i.customerName,
    customer_email: i.customerEmail,
    from_price_id: i.fromPriceId,
    quantity: i.quantity,
    amount_before: i.amountBefore,
    amount_after: i.amountAfter,
    status: i.status,
    reason: i.reason,
    schedule_id: i.scheduleId,
    effective_at: iso(i.effectiveAt),
  };
}

const tags = ['price migrations'];
const admin = ['admin'] as const;
const idParams = z.object({ id: idText(64) }).strict();

export function priceMigrationRoutes(migrations: PriceMigrationService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/admin/price-migrations/dry-run',
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            'What a migration would do: its subscriptions, their MRR before and after, each next invoice',
          body: migrationRequest,
          response: { 200: dryRunView, ...errorResponses },
        },
      },
      async (request) => dryRunOf(await migrations.dryRun(request.body)),
    );

    app.post(
      '/api/admin/price-migrations',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Start a migration of the dry run’s subscriptions; it runs in the background',
          body: startRequest,
          response: { 202: migrationView, ...errorResponses },
        },
      },
      async (request, reply) => reply.code(202).send(summaryOf(await migrations.start(request.body))),
    );

    app.get(
      '/api/admin/price-migrations',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Migrations, newest first, with their progress',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict(),
          response: { 200: z.object({ data: z.array(migrationView) }), ...errorResponses },
        },
      },
      async (request) => ({ data: (await migrations.list(request.query.limit)).map(summaryOf) }),
    );

    app.get(
      '/api/admin/price-migrations/:id',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'One migration with its progress and each subscription’s state',
          params: idParams,
          response: { 200: migrationDetail, ...errorResponses },
        },
      },
      async (request) => {
        const detail = await migrations.get(request.params.id);
        return { ...summaryOf(detail), items: detail.items.map(itemOf) };
      },
    );

    app.post(
      '/api/admin/price-migrations/:id/undo',
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            'Release the scheduled moves that have not renewed yet; renewed ones stay on the new price',
          params: idParams,
          response: { 200: migrationView, ...upstreamErrorResponses },
        },
      },
      async (request) => summaryOf(await migrations.undo(request.params.id)),
    );
  };
}
