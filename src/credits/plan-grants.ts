import type Stripe from 'stripe';
import { type PayerIds, payerOfCustomer } from '../app-webhooks/fact-announcements.js';
import type { Tx } from '../db/client.js';
import type { EventHandler } from '../events/handlers/context.js';
import { planRepository } from '../plans/repository.js';
import { idOf } from '../stripe/mapping.js';
import { creditLedgerRepository, type PayerKey } from '../usage/credits-ledger.js';
import { type CreditBenefit, creditBenefits, creditExpiry } from './grant-rules.js';

/** The invoices that open a subscription's period: its first, and each renewal. */
const PERIOD_INVOICES: ReadonlySet<string> = new Set(['subscription_create', 'subscription_cycle']);

/** A payer as the credit tables key it, from the customer that paid (null: not linked to one). */
export async function creditPayerOf(tx: Tx, customerId: string | null): Promise<PayerKey | null> {
  return payerKeyOf(await payerOfCustomer(tx, customerId));
}

/** The payer the credit tables key: the organisation that pays, else the user. */
export function payerKeyOf(ids: PayerIds): PayerKey | null {
  if (ids.organization_id) return { payerKind: 'organization', payerId: ids.organization_id };
  if (ids.user_id) return { payerKind: 'user', payerId: ids.user_id };
  return null;
}

/**
 * The credits a paid period invoice grants: for each subscription line (not a proration) whose
 * price is one of a plan's, its credit benefits, an add-on's times the line's quantity; summed per
 * feature (a base plan and an add-on may grant the same one), with the line's period end. Every
 * line's plan is read in one statement: each renewal asks, and most plans grant no credits.
 */
async function periodGrants(tx: Tx, invoice: Stripe.Invoice) {
  // Stripe always sends an invoice's lines; a payload without them (a hand-made one) grants nothing.
  const lines = (invoice.lines?.data ?? []).flatMap((line) => {
    const item = line.parent?.subscription_item_details;
    const priceId = idOf(line.pricing?.price_details?.price ?? null);
    return item && !item.proration && priceId ? [{ line, priceId }] : [];
  });
  const plans = await planRepository.plansOfStripePrices(
    tx,
    lines.map((l) => l.priceId),
  );
  const grants = new Map<string, CreditBenefit & { periodEnd: Date }>();
  for (const { line, priceId } of lines) {
    const plan = plans.get(priceId);
    if (!plan) continue;
    const times = plan.kind === 'add_on' ? (line.quantity ?? 1) : 1;
    for (const grant of creditBenefits(plan.benefits)) {
      const held = grants.get(grant.feature);
      const periodEnd = new Date(line.period.end * 1000);
      grants.set(grant.feature, {
        ...grant,
        // The base plan's rule where both grant the feature (the first line is the base's).
        rule: held?.rule ?? grant.rule,
        amount: (held?.amount ?? 0) + grant.amount * times,
        periodEnd: held && held.periodEnd > periodEnd ? held.periodEnd : periodEnd,
      });
    }
  }
  return [...grants.values()];
}

/**
 * On a paid period invoice, the plan's credits for that period: one lot per feature with the
 * invoice and the feature as its reference (a redelivered event grants nothing more), expiring
 * at the period's end unless the benefit rolls over (then after `expires_after_days`, or never).
 * Answers the number of lots granted now.
 */
export async function grantPeriodCredits(tx: Tx, invoice: Stripe.Invoice, at: Date): Promise<number> {
  if (invoice.status !== 'paid' || !PERIOD_INVOICES.has(invoice.billing_reason ?? '') || !invoice.id)
    return 0;
  const grants = await periodGrants(tx, invoice);
  if (grants.length === 0) return 0;
  const payer = await creditPayerOf(tx, idOf(invoice.customer));
  if (!payer) return 0;
  let granted = 0;
  for (const grant of grants) {
    const { created } = await creditLedgerRepository.grant(tx, {
      ...payer,
      feature: grant.feature,
      amount: grant.amount,
      source: 'plan',
      sourceRef: `${invoice.id}:${grant.feature}`,
      expiresAt: creditExpiry(grant.rule, at, grant.periodEnd),
      reason: 'plan period grant',
      now: at,
    });
    if (created) granted++;
  }
  return granted;
}

/** `invoice.paid` grants the period's credits after the invoice is mirrored, in its transaction. */
export function withPlanGrants(handlers: Map<string, EventHandler>): void {
  const mirror = handlers.get('invoice.paid')!;
  handlers.set('invoice.paid', async (ctx) => {
    const result = await mirror(ctx);
    const { event } = ctx;
    if (event.type !== 'invoice.paid') return result;
    return (await grantPeriodCredits(ctx.tx, event.data.object, ctx.eventAt)) > 0 ? 'applied' : result;
  });
}
