/**
 * What happens when the person on the Checkout page presses Subscribe or Pay, in Stripe's order:
 * the card is checked, the customer created if the session named none, the card attached and the
 * subscription created with it as default payment method (its invoice paid unless a trial comes
 * first) — or, in `payment` mode, one payment intent charged — and then the session completes and
 * `checkout.session.completed` goes out. A declined card changes nothing but the failed attempt's
 * own records, and the person can try another card.
 */
import type Stripe from 'stripe';
import { billingApi } from '../../billing/api.js';
import type { EmulatorContext } from '../../core/context.js';
import { previousAttributes } from '../../core/diff.js';
import { StripeApiError } from '../../core/errors.js';
import { customersOf } from '../../resources/collections.js';
import { newCustomer } from '../../resources/customers/customer-objects.js';
import {
  redeemCoupon,
  redeemPromotionCode,
  requireCustomer,
  resolvePaymentMethod,
} from '../../resources/lookups.js';
import { attachPaymentMethod, checkCardForSetup } from '../../resources/payment-methods/attachment.js';
import { dropAuthentication, recordAuthentication } from '../../resources/payment-outcomes.js';
import { type Address, type AddressInput, toAddress } from '../../resources/shared-params.js';
import type { CardChoice } from '../test-card-choices.js';
import { payForSession } from './one-time-payment.js';
import { needsAddress, taxIdType } from './session-tax.js';
import { type CheckoutSessions, isEmail } from './sessions.js';

export interface Submission {
  email: string | null;
  card: CardChoice;
  /** The customer completed the card's 3D Secure challenge on this page. */
  authenticated?: boolean;
  /** The billing address entered on the page, when the page asked for one. */
  address?: AddressInput | null;
  /** A tax id entered on the page (`tax_id_collection`). */
  taxId?: string | null;
}

export type Outcome =
  | { completed: true; session: Stripe.Checkout.Session }
  /** `status`: 400 for what the person must correct, 402 for a declined card. */
  | { completed: false; error: string; status: 400 | 402 };

const refused = (error: string, status: 400 | 402 = 402): Outcome => ({ completed: false, error, status });

export function completeCheckout(
  ctx: EmulatorContext,
  checkout: CheckoutSessions,
  session: Stripe.Checkout.Session,
  submission: Submission,
): Outcome {
  const email = session.customer_email ?? submission.email?.trim() ?? null;
  if (!checkout.customerOf(session) && (!email || !isEmail(email))) {
    return refused('Enter a valid email address.', 400);
  }
  const known = checkout.customerOf(session);
  const given = toAddress(submission.address);
  const address = given && { ...given, country: given.country?.toUpperCase() ?? null };
  if (needsAddress(session, known ? requireCustomer(ctx.store, known) : null) && !address?.country) {
    return refused('Enter your billing address, with its country.', 400);
  }
  // The tax is worked out for the address entered, before anything is charged.
  if (address?.country) checkout.reprice(session, address.country);
  const entered = { address, taxId: submission.taxId?.trim() || null };
  try {
    return session.mode === 'subscription'
      ? subscribe(ctx, checkout, session, email, submission, entered)
      : pay(ctx, checkout, session, email, submission, entered);
  } catch (error) {
    // Declines and refusals (a promotion code used up meanwhile) are shown on the page.
    if (error instanceof StripeApiError) return refused(error.body.message, error.status === 402 ? 402 : 400);
    throw error;
  }
}

/** The chosen card as a payment method, authenticated for its next charge when the challenge was completed. */
function paymentMethodOf(ctx: EmulatorContext, submission: Submission): Stripe.PaymentMethod {
  const method = resolvePaymentMethod(ctx, submission.card.paymentMethod);
  if (submission.authenticated) recordAuthentication(ctx, method.id);
  return method;
}

function subscribe(
  ctx: EmulatorContext,
  checkout: CheckoutSessions,
  session: Stripe.Checkout.Session,
  email: string | null,
  submission: Submission,
  entered: Entered,
): Outcome {
  const method = paymentMethodOf(ctx, submission);
  // The card is checked before anything is created for the customer, as Checkout confirms it first.
  checkCardForSetup(ctx, method.id);
  const isNew = !checkout.customerOf(session);
  const customer = customerFor(ctx, checkout, session, email);
  saveAddress(ctx, customer, entered.address, isNew || checkout.customerUpdateOf(session).address === 'auto');
  attachPaymentMethod(ctx, method, customer);
  const data = checkout.subscriptionDataOf(session);
  const subscription = billingApi(ctx).createSubscription({
    customer,
    items: checkout
      .itemsOf(session.id)
      .map((item) => ({ price: item.price!.id, ...(item.quantity !== null && { quantity: item.quantity }) })),
    default_payment_method: method.id,
    // A first payment that would fail is refused before the subscription exists, so a retry
    // with another card starts clean.
    payment_behavior: 'error_if_incomplete',
    ...(session.automatic_tax.enabled && { automatic_tax: { enabled: true } }),
    ...(data.trial_period_days && { trial_period_days: data.trial_period_days }),
    ...(data.description && { description: data.description }),
    ...(data.metadata && { metadata: data.metadata }),
    ...(session.discounts && { discounts: discountParams(session.discounts) }),
  });
  // Authenticated on setup only (a trial charged nothing): later charges ask again, unless the card
  // is one that is exempt once set up.
  dropAuthentication(ctx, method.id);
  markDiscountsFromCheckout(ctx, subscription, session.id);
  const invoiceId = typeof subscription.latest_invoice === 'string' ? subscription.latest_invoice : null;
  const invoice = invoiceId ? ctx.store.collection<Stripe.Invoice>('invoice').get(invoiceId) : undefined;
  return complete(ctx, checkout, session, customer, email, entered, {
    subscription: subscription.id,
    invoice: invoiceId,
    paid: (invoice?.amount_paid ?? 0) > 0,
  });
}

function pay(
  ctx: EmulatorContext,
  checkout: CheckoutSessions,
  session: Stripe.Checkout.Session,
  email: string | null,
  submission: Submission,
  entered: Entered,
): Outcome {
  const known = checkout.customerOf(session);
  const customer =
    known ?? (session.customer_creation === 'always' ? customerFor(ctx, checkout, session, email) : null);
  // Nothing to charge (a discount took it all): Stripe completes such a session without a payment.
  if (session.amount_total === 0) {
    redeemDiscounts(ctx, session, customer);
    return complete(ctx, checkout, session, customer, email, entered, {
      subscription: null,
      invoice: null,
      paid: false,
    });
  }
  const method = paymentMethodOf(ctx, submission);
  const result = payForSession(ctx, session, customer, method.id);
  session.payment_intent = result.intent.id;
  checkout.sessions.save(session);
  if (!result.paid) return refused(result.message);
  redeemDiscounts(ctx, session, customer);
  return complete(ctx, checkout, session, customer, email, entered, {
    subscription: null,
    invoice: null,
    paid: true,
  });
}

/** A one-off payment's discount counts as a redemption once it is paid (a subscription's, when created). */
function redeemDiscounts(ctx: EmulatorContext, session: Stripe.Checkout.Session, customer: string | null) {
  for (const discount of session.discounts ?? []) {
    if (typeof discount.promotion_code === 'string') {
      redeemPromotionCode(ctx, discount.promotion_code, { customerId: customer });
    } else if (typeof discount.coupon === 'string') {
      redeemCoupon(ctx, discount.coupon);
    }
  }
}

/** The session's customer, or a new one with the email given; kept on the session at once. */
function customerFor(
  ctx: EmulatorContext,
  checkout: CheckoutSessions,
  session: Stripe.Checkout.Session,
  email: string | null,
): string {
  const known = checkout.customerOf(session);
  if (known) return known;
  const customer = newCustomer({ email }, ctx.clock.now(), null);
  customersOf(ctx.store).save(customer);
  ctx.events.emit('customer.created', customer);
  // A retry after a failed payment reuses this customer rather than creating another.
  session.customer = customer.id;
  checkout.sessions.save(session);
  return customer.id;
}

interface Entered {
  address: Address | null;
  taxId: string | null;
}

/**
 * The address entered on the page becomes the customer's: always for a customer Checkout created,
 * for an existing one only with `customer_update[address]=auto` (https://docs.stripe.com/tax/checkout).
 */
function saveAddress(ctx: EmulatorContext, customerId: string, address: Address | null, allowed: boolean) {
  if (!address || !allowed) return;
  const before = requireCustomer(ctx.store, customerId);
  const after = { ...before, address };
  customersOf(ctx.store).save(after);
  ctx.events.emit('customer.updated', after, { previousAttributes: previousAttributes(before, after) });
}

function discountParams(discounts: Stripe.Checkout.Session.Discount[]) {
  return discounts.map((d) =>
    typeof d.promotion_code === 'string'
      ? { promotion_code: d.promotion_code }
      : { coupon: String(d.coupon) },
  );
}

/** Discounts created for the subscription name the session they came from, as Stripe's do. */
function markDiscountsFromCheckout(
  ctx: EmulatorContext,
  subscription: Stripe.Subscription,
  sessionId: string,
) {
  const discounts = ctx.store.collection<Stripe.Discount>('discount');
  for (const ref of subscription.discounts) {
    const discount = discounts.get(typeof ref === 'string' ? ref : ref.id);
    if (discount) discounts.save({ ...discount, checkout_session: sessionId });
  }
}

function complete(
  ctx: EmulatorContext,
  checkout: CheckoutSessions,
  session: Stripe.Checkout.Session,
  customerId: string | null,
  email: string | null,
  entered: Entered,
  result: { subscription: string | null; invoice: string | null; paid: boolean },
): Outcome {
  const customer = customerId ? requireCustomer(ctx.store, customerId) : null;
  session.status = 'complete';
  session.payment_status = result.paid ? 'paid' : 'no_payment_required';
  session.customer = customerId;
  session.subscription = result.subscription;
  session.invoice = result.invoice;
  session.url = null;
  session.customer_details = {
    address: entered.address ?? customer?.address ?? null,
    business_name: null,
    email: customer?.email ?? email,
    individual_name: null,
    name: customer?.name ?? null,
    phone: customer?.phone ?? null,
    tax_exempt: customer?.tax_exempt ?? 'none',
    tax_ids: entered.taxId
      ? [
          {
            type: taxIdType(entered.address?.country ?? customer?.address?.country ?? null),
            value: entered.taxId,
          },
        ]
      : [],
  };
  session.collected_information = { business_name: null, individual_name: null, shipping_details: null };
  checkout.sessions.save(session);
  ctx.events.emit('checkout.session.completed', session, { created: checkout.nowFor(session) });
  return { completed: true, session };
}
