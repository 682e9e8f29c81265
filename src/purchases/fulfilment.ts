import type Stripe from 'stripe';
import type { Cause, ChangeAnnouncer } from '../app-webhooks/announcements.js';
import { announceOne } from '../app-webhooks/announcements.js';
import type { AppEventData } from '../app-webhooks/catalog.js';
import { payerOfCustomer } from '../app-webhooks/fact-announcements.js';
import { wantedTypes } from '../app-webhooks/wanted-types.js';
import { creditBenefits, creditExpiry } from '../credits/grant-rules.js';
import { payerKeyOf } from '../credits/plan-grants.js';
import type { Tx } from '../db/client.js';
import { lockObject } from '../mirror/locks.js';
import { planRepository } from '../plans/repository.js';
import { PLAN_ID_METADATA } from '../stripe/index.js';
import { idOf } from '../stripe/mapping.js';
import { creditLedgerRepository } from '../usage/credits-ledger.js';
import { type PurchaseRow, purchaseRepository } from './repository.js';

/** Set on a one-time plan's Checkout Session: how many were bought (credits are granted that many times). */
export const QUANTITY_METADATA = 'recur_quantity';

export interface PurchaseDeps {
  announcer: ChangeAnnouncer;
}

/** What the message says of a purchase, with the credits it granted per feature. */
function purchaseFacts(
  purchase: PurchaseRow,
  credits: Record<string, number>,
): AppEventData<'purchase.completed'>['purchase'] {
  return {
    id: purchase.id,
    plan_id: purchase.planId,
    checkout_session_id: purchase.checkoutSessionId,
    payment_intent_id: purchase.paymentIntentId,
    quantity: purchase.quantity,
    amount: purchase.amount,
    currency: purchase.currency,
    status: purchase.status,
    credits,
  };
}

/**
 * A paid Checkout Session of a one-time plan becomes a purchase, in the event's transaction: the
 * row (once per session: a redelivered event finds it and does nothing), the plan's credits
 * granted (source `purchase`, the session id as reference, so a grant is never made twice), then
 * `purchase.completed` and, when the benefits changed, `entitlements.updated`. A session that is
 * not a paid one-time purchase of a payer Recur knows is left alone.
 */
export async function fulfilPurchase(
  tx: Tx,
  deps: PurchaseDeps,
  session: Stripe.Checkout.Session,
  cause: Cause,
): Promise<PurchaseRow | null> {
  if (session.mode !== 'payment' || session.status !== 'complete') return null;
  if (session.payment_status !== 'paid' && session.payment_status !== 'no_payment_required') return null;
  const customerId = idOf(session.customer);
  const planId = session.metadata?.[PLAN_ID_METADATA];
  if (!customerId || !planId) return null;
  const plan = await planRepository.findById(tx, planId);
  if (plan?.kind !== 'one_time') return null;
  const ids = await payerOfCustomer(tx, customerId);
  const payer = payerKeyOf(ids);
  if (!payer) return null;
  // The payer's entitlements are read and announced by one transaction at a time (see locks.ts).
  await lockObject(tx, customerId);
  const quantity = Math.max(1, Number.parseInt(session.metadata?.[QUANTITY_METADATA] ?? '1', 10) || 1);
  const granted: Record<string, number> = {};
  const purchase = await deps.announcer.around(tx, { customers: [customerId] }, cause, async () => {
    const row = await purchaseRepository.insert(tx, {
      ...payer,
      customerId,
      planId: plan.id,
      checkoutSessionId: session.id,
      paymentIntentId: idOf(session.payment_intent),
      quantity,
      amount: session.amount_total ?? 0,
      currency: session.currency ?? plan.prices[0]?.currency ?? 'usd',
      userId: ids.user_id ?? session.client_reference_id,
    });
    if (!row) return null;
    for (const grant of creditBenefits(plan.benefits)) {
      const amount = grant.amount * quantity;
      await creditLedgerRepository.grant(tx, {
        ...payer,
        feature: grant.feature,
        amount,
        source: 'purchase',
        sourceRef: session.id,
        expiresAt: creditExpiry(grant.rule, cause.at, null),
        reason: `purchase of ${plan.key}`,
        now: cause.at,
      });
      granted[grant.feature] = amount;
    }
    return row;
  });
  if (purchase && (await wantedTypes(tx)).has('purchase.completed'))
    await announceOne(
      tx,
      'purchase.completed',
      `purchase:${purchase.id}`,
      `purchase.completed:${purchase.id}`,
      cause.at,
      {
        user_id: purchase.userId,
        organization_id: ids.organization_id,
        purchase: purchaseFacts(purchase, granted),
      },
    );
  return purchase;
}

/**
 * A charge refunded in full takes back the purchases it paid for: what is left of their credits is
 * revoked (the credits already used stay used) and their lifetime benefits end. A partial refund
 * changes nothing: the payer keeps what was bought (an admin may take credits back by hand).
 */
export async function refundPurchases(
  tx: Tx,
  deps: PurchaseDeps,
  charge: Stripe.Charge,
  cause: Cause,
): Promise<number> {
  const paymentIntentId = idOf(charge.payment_intent);
  if (!charge.refunded || !paymentIntentId) return 0;
  const customerId = idOf(charge.customer);
  if (customerId) await lockObject(tx, customerId);
  const refunded = await deps.announcer.around(
    tx,
    { customers: customerId ? [customerId] : [] },
    cause,
    async () => {
      const paid = await purchaseRepository.paidByPaymentIntent(tx, paymentIntentId);
      const taken: Array<{ purchase: PurchaseRow; credits: Record<string, number> }> = [];
      for (const purchase of paid) {
        await purchaseRepository.markRefunded(tx, purchase.id, cause.at);
        const credits = await purchaseRepository.revokeCredits(tx, purchase, 'purchase refunded');
        taken.push({ purchase: { ...purchase, status: 'refunded', refundedAt: cause.at }, credits });
      }
      return taken;
    },
  );
  if (refunded.length > 0 && (await wantedTypes(tx)).has('purchase.refunded')) {
    for (const { purchase, credits } of refunded) {
      const ids = await payerOfCustomer(tx, purchase.customerId);
      await announceOne(
        tx,
        'purchase.refunded',
        `purchase:${purchase.id}`,
        `purchase.refunded:${purchase.id}`,
        cause.at,
        { ...ids, purchase: purchaseFacts(purchase, credits) },
      );
    }
  }
  return refunded.length;
}
