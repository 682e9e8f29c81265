import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { DbOrTx } from '../db/client.js';
import { charges, customers, invoices, paymentIntents, subscriptions } from '../db/schema/index.js';
import { PLAN_ID_METADATA } from '../stripe/index.js';
import { idOf, ORGANIZATION_ID_METADATA } from '../stripe/mapping.js';
import type { Cause } from './announcements.js';
import { announceOne } from './announcements.js';
import type { AppEventData } from './catalog.js';
import { wantedTypes } from './wanted-types.js';

/**
 * The messages that state a fact about one object (an invoice paid, a refund made …), read from
 * the mirror after the write. A fact that happens once per object is keyed by the object, so every
 * path that sees it (Recur's own write, its event, a later event) announces it once; a fact that
 * may recur (a failed attempt) is keyed by its event.
 */

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Who pays through a customer, as the messages name it: a user's id or an organisation's (or neither). */
export interface PayerIds {
  user_id: string | null;
  organization_id: string | null;
}

const NO_PAYER: PayerIds = { user_id: null, organization_id: null };

export async function payerOfCustomer(tx: DbOrTx, customerId: string | null): Promise<PayerIds> {
  if (!customerId) return NO_PAYER;
  const [row] = await tx
    .select({ user_id: customers.externalId, organization_id: customers.organizationId })
    .from(customers)
    .where(eq(customers.id, customerId));
  return row ?? NO_PAYER;
}

const INVOICE_ATTEMPTS = ['invoice.payment_failed', 'invoice.payment_action_required'] as const;

/** invoice.paid once the mirror holds it paid; a failed or action-needing attempt per event, unless paid since. */
export async function announceInvoice(
  tx: DbOrTx,
  wanted: ReadonlySet<string>,
  invoiceId: string,
  eventType: string | null,
  cause: Cause,
): Promise<void> {
  const attempt = INVOICE_ATTEMPTS.find((t) => t === eventType);
  if (!(wanted.has('invoice.paid') || (attempt && wanted.has(attempt)))) return;
  const [row] = await tx.select().from(invoices).where(eq(invoices.id, invoiceId));
  if (!row) return;
  const subject = `invoice:${row.id}`;
  const data: AppEventData<'invoice.paid'> = {
    ...(await payerOfCustomer(tx, row.customerId)),
    invoice: {
      id: row.id,
      subscription_id: row.subscriptionId,
      status: row.status,
      currency: row.currency,
      amount_due: row.amountDue,
      amount_paid: row.amountPaid,
      amount_remaining: row.amountRemaining,
      attempt_count: row.attemptCount,
      next_payment_attempt: iso(row.nextPaymentAttempt),
      hosted_invoice_url: row.hostedInvoiceUrl,
    },
  };
  if (row.status === 'paid') {
    if (wanted.has('invoice.paid'))
      await announceOne(tx, 'invoice.paid', subject, `invoice.paid:${row.id}`, cause.at, data);
    return;
  }
  if (attempt && wanted.has(attempt))
    await announceOne(tx, attempt, subject, `${cause.key}:${attempt}:${subject}`, cause.at, data);
}

/** Ids and facts only: no email, name or card details. */
export async function announceCustomerUpdated(tx: DbOrTx, customerId: string, cause: Cause): Promise<void> {
  const [row] = await tx.select().from(customers).where(eq(customers.id, customerId));
  if (!row) return;
  const subject = row.externalId ? `user:${row.externalId}` : `customer:${row.id}`;
  await announceOne(tx, 'customer.updated', subject, `${cause.key}:customer.updated:${subject}`, cause.at, {
    user_id: row.externalId,
    organization_id: row.organizationId,
    customer: { id: row.id, deleted: row.deleted, default_payment_method_id: row.defaultPaymentMethodId },
  });
}

/** Only while the trial still runs: a trial already ended or cancelled has nothing to warn of. */
export async function announceTrialWillEnd(tx: DbOrTx, subscriptionId: string, cause: Cause): Promise<void> {
  const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
  if (row?.status !== 'trialing') return;
  const trialEnd = iso(row.trialEnd);
  await announceOne(
    tx,
    'trial.will_end',
    `subscription:${row.id}`,
    `trial.will_end:${row.id}:${trialEnd}`,
    cause.at,
    { ...(await payerOfCustomer(tx, row.customerId)), subscription_id: row.id, trial_end: trialEnd },
  );
}

export async function announceCheckoutCompleted(
  tx: DbOrTx,
  session: Stripe.Checkout.Session,
  cause: Cause,
): Promise<void> {
  if (session.status !== 'complete') return;
  const subscriptionId = idOf(session.subscription);
  const [subscription] = subscriptionId
    ? await tx
        .select({ planId: subscriptions.planId })
        .from(subscriptions)
        .where(eq(subscriptions.id, subscriptionId))
    : [];
  const payer = await payerOfCustomer(tx, idOf(session.customer));
  const organizationId = payer.organization_id ?? session.metadata?.[ORGANIZATION_ID_METADATA] ?? null;
  await announceOne(
    tx,
    'checkout.completed',
    `checkout:${session.id}`,
    `checkout.completed:${session.id}`,
    cause.at,
    {
      // The user who started it, also when an organisation pays.
      user_id: payer.user_id ?? session.client_reference_id,
      organization_id: organizationId,
      checkout_session_id: session.id,
      subscription_id: subscriptionId,
      plan_id: subscription?.planId ?? session.metadata?.[PLAN_ID_METADATA] ?? null,
    },
  );
}

/** Once per refund, whichever of Recur's own write and the refund's events comes first. */
export async function announceRefundCreated(
  tx: DbOrTx,
  refund: Stripe.Refund,
  cause: Cause,
  customerId: string | null = null,
): Promise<void> {
  if (!(await wantedTypes(tx)).has('refund.created')) return;
  const payer = customerId
    ? await payerOfCustomer(tx, customerId)
    : await payerOfPayment(tx, idOf(refund.charge), idOf(refund.payment_intent));
  await announceOne(tx, 'refund.created', `refund:${refund.id}`, `refund.created:${refund.id}`, cause.at, {
    ...payer,
    refund: {
      id: refund.id,
      invoice_id: refund.metadata?.recur_invoice_id ?? null,
      amount: refund.amount,
      currency: refund.currency,
      status: refund.status ?? 'pending',
      reason: refund.reason,
    },
  });
}

async function payerOfPayment(tx: DbOrTx, chargeId: string | null, intentId: string | null) {
  const [charge] = chargeId
    ? await tx.select({ customerId: charges.customerId }).from(charges).where(eq(charges.id, chargeId))
    : [];
  const [intent] =
    !charge?.customerId && intentId
      ? await tx
          .select({ customerId: paymentIntents.customerId })
          .from(paymentIntents)
          .where(eq(paymentIntents.id, intentId))
      : [];
  return payerOfCustomer(tx, charge?.customerId ?? intent?.customerId ?? null);
}
