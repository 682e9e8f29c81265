// Invoice previews (`POST /v1/invoices/create_preview` and the `invoice.upcoming` event): the
// invoice a subscription would produce next, optionally as if `subscription_details` changes were
// made at `proration_date`. Nothing is saved; the preview has an `upcoming_in_…` id as Stripe's do.

import type Stripe from 'stripe';
import { invalidRequest, parameterMissing } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { boundary, periodContaining } from '../domain/calendar.js';
import { newInvoice } from '../objects/invoice-objects.js';
import { type Billing, customerId } from './context.js';
import { invoiceItemLine, subscriptionItemLines } from './invoice-lines.js';
import { activeDiscounts, pendingInvoiceItems, recomputeInvoice } from './invoicing.js';
import { planItemChanges, prorationItems } from './item-changes.js';
import { currentPeriod } from './renewal.js';
import { checkedAutomaticTax } from './taxes.js';

export function previewInvoice(billing: Billing, params: Stripe.InvoiceCreatePreviewParams): Stripe.Invoice {
  const subscriptionId = params.subscription;
  const subscription = subscriptionId ? billing.data.subscriptions.get(subscriptionId) : undefined;
  if (subscriptionId && !subscription) {
    throw invalidRequest(`No such subscription: '${subscriptionId}'`, {
      param: 'subscription',
      code: 'resource_missing',
    });
  }
  const customer = params.customer ?? (subscription ? customerId(subscription.customer) : undefined);
  if (!customer) throw parameterMissing('customer');
  if (!subscription) return customerPreview(billing, customer);
  const automaticTax = checkedAutomaticTax(
    billing,
    params.automatic_tax,
    billing.catalog.customer(customer),
    subscription.items.data.map((item) => item.price),
  );
  return subscriptionPreview(billing, subscription, params.subscription_details ?? {}, automaticTax);
}

/** The next renewal invoice of a subscription, as it stands now. */
export function upcomingInvoice(billing: Billing, subscription: Stripe.Subscription): Stripe.Invoice {
  return subscriptionPreview(billing, subscription, {});
}

function subscriptionPreview(
  billing: Billing,
  original: Stripe.Subscription,
  details: NonNullable<Stripe.InvoiceCreatePreviewParams['subscription_details']>,
  automaticTax?: Stripe.Subscription.AutomaticTax,
): Stripe.Invoice {
  const subscription = structuredClone(original);
  // The preview is taxed as the subscription would be after the change it asks about.
  if (automaticTax) subscription.automatic_tax = automaticTax;
  const customer = customerId(subscription.customer);
  const at = billing.clock.nowForCustomer(customer);
  const prorationDate = details.proration_date ?? at;
  const behavior = details.proration_behavior ?? 'create_prorations';
  let extraItems: Stripe.InvoiceItem[] = [];
  let immediate = false;
  let cycleRestarts = false;
  if (details.items) {
    const plan = planItemChanges(billing, subscription, details.items as never, at);
    if (behavior !== 'none' && subscription.status !== 'trialing') {
      extraItems = prorationItems(billing, subscription, plan, prorationDate);
    }
    subscription.items.data = plan.items;
    immediate = plan.cycleChanges || behavior === 'always_invoice';
    if (plan.cycleChanges) {
      cycleRestarts = true;
      const end = boundary(at, plan.items[0]!.price.recurring!, 1);
      subscription.billing_cycle_anchor = at;
      subscription.items.data = plan.items.map((i) => ({
        ...i,
        current_period_start: at,
        current_period_end: end,
      }));
    }
  }
  const period = currentPeriod(subscription);
  const recurrence = subscription.items.data[0]!.price.recurring!;
  // Billed now: the prorations, plus the new period when the cycle restarts. Otherwise: the next renewal.
  const billedPeriod = immediate
    ? period
    : periodContaining(subscription.billing_cycle_anchor, recurrence, period.end);
  // Only a restarted cycle bills a new period now; a subscription that merely began this very second
  // (an upgrade right after Checkout) is billed its prorations alone, as the update itself will be.
  const billsItems = !immediate || cycleRestarts;
  const created = immediate ? at : period.end;
  const invoice = newInvoice({
    customer: billing.catalog.customer(customer),
    currency: subscription.currency,
    created,
    billingReason: immediate ? 'subscription_update' : 'upcoming',
    collectionMethod: subscription.collection_method,
    subscription,
    period: immediate ? { start: at, end: at } : period,
    autoAdvance: true,
    testClock: subscription.test_clock as string | null,
  });
  invoice.id = `upcoming_${newId('in')}`;
  invoice.lines.url = `/v1/invoices/${invoice.id}/lines`;
  invoice.discounts = activeDiscounts(billing, subscription.discounts, created).map((d) => d.id);
  // The next renewal bills the metered usage of the current period, as recorded so far.
  const usage = !immediate && subscription.status !== 'trialing' ? period : undefined;
  const itemLines = billsItems
    ? subscriptionItemLines(billing, invoice.id, subscription, billedPeriod, false, usage)
    : [];
  const pending = [...pendingInvoiceItems(billing, customer, subscription.id), ...extraItems];
  invoice.lines.data = [...pending.map((item) => invoiceItemLine(invoice.id, item)), ...itemLines];
  if (!immediate) invoice.next_payment_attempt = created + billing.settings.renewalFinalizationDelay;
  recomputeInvoice(billing, invoice);
  invoice.starting_balance = billing.catalog.customer(customer).balance;
  invoice.amount_due = Math.max(invoice.total + invoice.starting_balance, 0);
  invoice.amount_remaining = invoice.amount_due;
  return invoice;
}

/** A customer's pending one-off items, as the invoice that would collect them now. */
function customerPreview(billing: Billing, customer: string): Stripe.Invoice {
  const pending = pendingInvoiceItems(billing, customer, null);
  if (pending.length === 0) {
    throw invalidRequest('Nothing to invoice for customer', { code: 'invoice_upcoming_none' });
  }
  const at = billing.clock.nowForCustomer(customer);
  const invoice = newInvoice({
    customer: billing.catalog.customer(customer),
    currency: pending[0]!.currency,
    created: at,
    billingReason: 'manual',
    collectionMethod: 'charge_automatically',
    subscription: null,
    period: { start: at, end: at },
    autoAdvance: false,
    testClock: null,
  });
  invoice.id = `upcoming_${newId('in')}`;
  invoice.lines.data = pending.map((item) => invoiceItemLine(invoice.id, item));
  recomputeInvoice(billing, invoice);
  return invoice;
}
