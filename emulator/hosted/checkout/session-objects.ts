/**
 * Checkout Session objects with every field Stripe returns, their line items, and their totals.
 * Totals are what is due today: the line items' amounts less the session's discounts, or nothing
 * when a subscription starts with a trial (the first charge comes at the trial end).
 */
import type Stripe from 'stripe';
import { allocateDiscounts } from '../../billing/domain/discounts.js';
import { newId, randomToken } from '../../core/ids.js';
import type { StoredPrice } from '../../resources/collections.js';
import type { TaxPart } from '../../resources/tax/test-rates.js';
import { lineItemTaxes } from './session-tax.js';

export type CheckoutMode = 'payment' | 'subscription';

export interface NewSession {
  mode: CheckoutMode;
  created: number;
  expiresAt: number;
  /** The hosted page (`<base>/c/pay/<id>`), given the new id. */
  url: (id: string) => string;
  currency: string;
  customer: string | null;
  customerEmail: string | null;
  customerCreation: Stripe.Checkout.Session.CustomerCreation | null;
  clientReferenceId: string | null;
  successUrl: string | null;
  cancelUrl: string | null;
  allowPromotionCodes: boolean | null;
  discounts: Stripe.Checkout.Session.Discount[] | null;
  metadata: Stripe.Metadata;
}

/** Stripe's session ids are long: `cs_test_a1` and 58 more characters. */
export const newSessionId = () => `cs_test_a1${randomToken(58)}`;

export function newCheckoutSession(input: NewSession): Stripe.Checkout.Session {
  const id = newSessionId();
  return {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: input.allowPromotionCodes,
    allowed_payment_method_types: null,
    amount_subtotal: 0,
    amount_total: 0,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: input.cancelUrl,
    client_reference_id: input.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: input.created,
    currency: input.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: input.customer,
    customer_account: null,
    customer_creation: input.customerCreation,
    customer_details: null,
    customer_email: input.customerEmail,
    discounts: input.discounts,
    expires_at: input.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation:
      input.mode === 'payment'
        ? {
            enabled: false,
            invoice_data: {
              account_tax_ids: null,
              custom_fields: null,
              description: null,
              footer: null,
              issuer: null,
              metadata: {},
              rendering_options: null,
            },
          }
        : null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: input.metadata,
    mode: input.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: input.mode === 'subscription' ? 'always' : null,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    payment_status: 'unpaid',
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: {
      allow_redisplay_filters: ['always'],
      payment_method_remove: null,
      payment_method_save: null,
    },
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: input.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted_page',
    url: input.url(id),
    wallet_options: null,
  };
}

/** `amount` is what the quantity costs (tiered prices are not unit amount × quantity); a metered price has none. */
export function newLineItem(
  price: StoredPrice,
  quantity: number | null,
  amount: number,
  description: string,
): Stripe.LineItem {
  return {
    id: newId('li'),
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description,
    metadata: {},
    price: price as unknown as Stripe.Price,
    quantity,
  };
}

export interface CouponTerms {
  id: string;
  percent_off: number | null;
  amount_off: number | null;
}

/**
 * Prices the line items and the session: each item's discount share, and the session's subtotal,
 * discount and total due today (zero for a subscription that starts with a trial).
 */
export function applyTotals(
  session: Stripe.Checkout.Session,
  items: Stripe.LineItem[],
  coupons: CouponTerms[],
  trial: boolean,
  /** The tax on an item's discounted amount, when Stripe Tax applies and the country is known. */
  taxOf: ((item: Stripe.LineItem, net: number) => TaxPart) | null = null,
): void {
  const allocation = allocateDiscounts(
    items.map((item) => ({ amount: item.amount_subtotal, discountable: true })),
    coupons.map((coupon) => ({ id: coupon.id, coupon })),
  );
  items.forEach((item, i) => {
    item.amount_discount = (allocation.lines[i] ?? []).reduce((sum, share) => sum + share.amount, 0);
    const net = item.amount_subtotal - item.amount_discount;
    const tax = taxOf?.(item, net) ?? null;
    item.amount_tax = tax?.amount ?? 0;
    item.amount_total = net + (tax?.behavior === 'exclusive' ? tax.amount : 0);
    if (tax) item.taxes = lineItemTaxes(tax, session.created);
    else delete item.taxes;
  });
  const sum = (pick: (item: Stripe.LineItem) => number) =>
    items.reduce((total, item) => total + pick(item), 0);
  session.amount_subtotal = trial ? 0 : sum((item) => item.amount_subtotal);
  session.amount_total = trial ? 0 : sum((item) => item.amount_total);
  session.total_details = {
    amount_discount: trial ? 0 : sum((item) => item.amount_discount),
    amount_shipping: 0,
    amount_tax: trial ? 0 : sum((item) => item.amount_tax),
  };
}
