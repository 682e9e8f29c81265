import { z } from 'zod';
import { text } from '../http/input.js';

/** Filters are plain strings here so that the service refuses each bad one with its own code. */
export const reportQuery = z
  .object({
    from: text(20).optional().describe('First month, YYYY-MM (default: 11 months before `to`)'),
    to: text(20).optional().describe('Last month, YYYY-MM, included (default: this month)'),
    plan_id: text(200).optional().describe('Only this plan (by id)'),
    currency: text(20).optional().describe('Only this currency (ISO code)'),
    format: text(20).optional().describe('`json` (default) or `csv`'),
  })
  .strict();

export const formatQuery = reportQuery.pick({ format: true }).strict();

const rangeFields = {
  from: z.string(),
  to: z.string(),
  plan_id: z.string().nullable(),
  currency: z.string().nullable(),
};
const rate = z.number().nullable().describe('A share between 0 and 1 (4 decimals); null when undefined');
const month = { month: z.string().describe('YYYY-MM (UTC)'), currency: z.string() };

export const subscriptionsReport = z.object({
  total_active: z.number().int(),
  total_cancelled: z.number().int(),
  plans: z.array(z.object({ plan_id: z.string(), name: z.string(), active_subscriptions: z.number().int() })),
});

export const mrrReport = z.object({
  ...rangeFields,
  current: z.array(
    z.object({ currency: z.string(), mrr: z.number(), arr: z.number(), active_subscriptions: z.number() }),
  ),
  months: z.array(
    z.object({
      ...month,
      mrr: z.number(),
      arr: z.number(),
      active_subscriptions: z.number(),
      new: z.number(),
      expansion: z.number(),
      contraction: z.number(),
      churned: z.number(),
      reactivated: z.number(),
      plan_transfers: z.number(),
      net_change: z.number(),
    }),
  ),
});

export const churnReport = z.object({
  ...rangeFields,
  months: z.array(
    z.object({
      ...month,
      subscriptions_at_start: z.number(),
      churned_subscriptions: z.number(),
      logo_churn_rate: rate,
      mrr_at_start: z.number(),
      churned_mrr: z.number(),
      contraction_mrr: z.number(),
      revenue_churn_rate: rate,
      net_revenue_churn_rate: rate,
    }),
  ),
});

export const arpuReport = z.object({
  ...rangeFields,
  currencies: z.array(
    z.object({
      currency: z.string(),
      mrr: z.number(),
      active_subscriptions: z.number(),
      arpu: z.number().nullable(),
      monthly_logo_churn_rate: rate,
      ltv: z.number().nullable(),
    }),
  ),
});

export const retentionReport = z.object({
  ...rangeFields,
  cohorts: z.array(
    z.object({
      cohort: z.string(),
      currency: z.string(),
      subscriptions: z.number(),
      retention: z.array(z.object({ months_after: z.number(), active: z.number(), share: rate })),
    }),
  ),
});

export const revenueReport = z.object({
  ...rangeFields,
  months: z.array(
    z.object({
      ...month,
      invoiced: z.number().describe('Finalised invoices’ totals, tax included'),
      invoiced_net: z.number().describe('invoiced less its tax: revenue net of tax'),
      invoiced_tax: z.number().describe('The Stripe Tax tax inside invoiced'),
      collected: z.number().describe('Paid invoices’ amounts, tax included'),
      collected_net: z.number().describe('collected less its tax'),
      collected_tax: z.number().describe('The tax of the invoices paid'),
      refunded: z.number().nullable().describe('null when filtered by plan: refunds are not linked to plans'),
    }),
  ),
});

export const paymentsReport = z.object({
  ...rangeFields,
  months: z.array(
    z.object({
      ...month,
      invoices_attempted: z.number(),
      invoices_failed: z.number(),
      failed_payment_rate: rate,
      invoices_recovered: z.number(),
      recovery_rate: rate,
      average_hours_to_recover: z.number().nullable(),
      involuntary_churned: z.number(),
    }),
  ),
});

export const trialsReport = z.object({
  ...rangeFields,
  months: z.array(
    z.object({
      ...month,
      trials_started: z.number(),
      converted: z.number(),
      not_converted: z.number(),
      in_trial: z.number(),
      conversion_rate: rate,
    }),
  ),
});

/** Card networks start monitoring a merchant whose disputes reach this share of its charges. */
export const DISPUTE_RATE_WARNING = 0.009;

export const disputesReport = z.object({
  ...rangeFields,
  warning_rate: z
    .number()
    .describe('The share of charges at which card networks start monitoring a merchant (0.9%)'),
  months: z.array(
    z.object({
      ...month,
      charges: z.number().int().describe('Successful charges created in the month'),
      disputes: z.number().int().describe('Chargebacks opened in the month (inquiries apart)'),
      dispute_rate: rate.describe('disputes / charges; null without charges'),
      over_warning_rate: z.boolean(),
      inquiries: z.number().int(),
      disputed_amount: z.number().int().describe('Minor units'),
      won: z.number().int().describe('Of the month’s disputes, how many are won by now'),
      won_amount: z.number().int(),
      lost: z.number().int(),
      lost_amount: z.number().int(),
    }),
  ),
});
