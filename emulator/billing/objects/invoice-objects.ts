// Builders for invoices, their lines and invoice items, with every field Stripe returns.

import type Stripe from 'stripe';
import { newId } from '../../core/ids.js';
import { wireDecimal } from './decimal.js';

export interface NewInvoice {
  customer: Stripe.Customer;
  currency: string;
  created: number;
  billingReason: Stripe.Invoice.BillingReason;
  collectionMethod: Stripe.Invoice.CollectionMethod;
  subscription: Stripe.Subscription | null;
  period: { start: number; end: number };
  autoAdvance: boolean;
  description?: string | null;
  metadata?: Stripe.Metadata;
  defaultPaymentMethod?: string | null;
  dueDate?: number | null;
  testClock: string | null;
}

export function newInvoice(input: NewInvoice): Stripe.Invoice {
  const id = newId('in');
  const customer = input.customer;
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Recur emulator',
    account_tax_ids: null,
    amount_due: 0,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: 0,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: input.autoAdvance,
    // A subscription's invoices are taxed as the subscription says (engine/taxes.ts sets the status).
    automatic_tax: input.subscription?.automatic_tax.enabled
      ? {
          disabled_reason: null,
          enabled: true,
          liability: { type: 'self' },
          provider: 'stripe',
          status: null,
        }
      : { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: input.billingReason,
    collection_method: input.collectionMethod,
    created: input.created,
    currency: input.currency,
    // The customer's invoice settings are the defaults of every invoice made for them
    // (https://docs.stripe.com/invoicing/customize: custom fields and footer inheritance).
    custom_fields:
      customer.invoice_settings?.custom_fields?.map(({ name, value }) => ({ name, value })) ?? null,
    customer: customer.id,
    customer_account: null,
    customer_address: customer.address ?? null,
    customer_email: customer.email ?? null,
    customer_name: customer.name ?? null,
    customer_phone: customer.phone ?? null,
    customer_shipping: customer.shipping ?? null,
    customer_tax_exempt: customer.tax_exempt ?? 'none',
    customer_tax_ids: [],
    default_payment_method: input.defaultPaymentMethod ?? null,
    default_source: null,
    default_tax_rates: [],
    description: input.description ?? null,
    discounts: [],
    due_date: input.dueDate ?? null,
    effective_at: null,
    ending_balance: null,
    footer: customer.invoice_settings?.footer ?? null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: [], has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: input.metadata ?? {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: input.subscription
      ? {
          quote_details: null,
          subscription_details: {
            metadata: input.subscription.metadata,
            subscription: input.subscription.id,
          },
          type: 'subscription_details',
        }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: input.period.end,
    period_start: input.period.start,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: {
      amount_tax_display: null,
      pdf: { page_size: 'auto' },
      template: null,
      template_version: null,
    },
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: 0,
    subtotal_excluding_tax: 0,
    test_clock: input.testClock,
    total: 0,
    total_discount_amounts: [],
    total_excluding_tax: 0,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

export interface NewLine {
  invoice: string;
  amount: number;
  currency: string;
  description: string;
  period: { start: number; end: number };
  quantity: number;
  /** The price and product billed, shown under `pricing.price_details`. */
  price: { price: string; product: string } | null;
  unitAmountDecimal: string | null;
  proration: boolean;
  metadata?: Stripe.Metadata;
  discountable: boolean;
  /** A line billed straight from a subscription item (not through an invoice item). */
  subscriptionItem?: { subscription: string; item: string };
  /** A line that shows a pending invoice item. */
  invoiceItem?: { id: string; subscription: string | null; subscriptionItem: string | null };
}

export function newLineItem(input: NewLine): Stripe.InvoiceLineItem {
  const subscription = input.subscriptionItem?.subscription ?? input.invoiceItem?.subscription ?? null;
  let parent: Stripe.InvoiceLineItem.Parent;
  if (input.invoiceItem && !input.invoiceItem.subscriptionItem) {
    parent = {
      invoice_item_details: {
        invoice_item: input.invoiceItem.id,
        proration: input.proration,
        proration_details: { credited_items: null },
        subscription,
      },
      subscription_item_details: null,
      type: 'invoice_item_details',
    };
  } else {
    parent = {
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: input.invoiceItem?.id ?? null,
        proration: input.proration,
        proration_details: { credited_items: null },
        subscription,
        subscription_item: input.subscriptionItem?.item ?? input.invoiceItem?.subscriptionItem ?? '',
      },
      type: 'subscription_item_details',
    };
  }
  return {
    id: newId('il'),
    object: 'line_item',
    amount: input.amount,
    currency: input.currency,
    description: input.description,
    discount_amounts: [],
    discountable: input.discountable,
    discounts: [],
    invoice: input.invoice,
    livemode: false,
    metadata: input.metadata ?? {},
    parent,
    period: input.period,
    pretax_credit_amounts: [],
    pricing: input.price
      ? {
          price_details: input.price,
          type: 'price_details',
          unit_amount_decimal: input.unitAmountDecimal === null ? null : wireDecimal(input.unitAmountDecimal),
        }
      : null,
    // "Quantity of units … in integer format, with any decimal precision truncated": a metered
    // line's decimal usage is whole in `quantity_decimal`.
    quantity: Math.trunc(input.quantity),
    quantity_decimal: wireDecimal(input.quantity),
    subscription,
    subtotal: input.amount,
    taxes: [],
  };
}

export interface NewInvoiceItem {
  customer: string;
  currency: string;
  amount: number;
  quantity: number;
  unitAmountDecimal: string;
  price: Stripe.Price | null;
  description: string;
  date: number;
  period: { start: number; end: number };
  proration: boolean;
  discountable: boolean;
  invoice: string | null;
  subscription: string | null;
  subscriptionItem: string | null;
  metadata: Stripe.Metadata;
  testClock: string | null;
}

export function newInvoiceItem(input: NewInvoiceItem): Stripe.InvoiceItem {
  return {
    id: newId('ii'),
    object: 'invoiceitem',
    amount: input.amount,
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    date: input.date,
    description: input.description,
    discountable: input.discountable,
    discounts: [],
    invoice: input.invoice,
    livemode: false,
    metadata: input.metadata,
    net_amount: input.amount,
    parent: input.subscription
      ? {
          subscription_details: {
            subscription: input.subscription,
            subscription_item: input.subscriptionItem ?? undefined,
          },
          type: 'subscription_details',
        }
      : null,
    period: input.period,
    pricing: {
      price_details: input.price
        ? {
            price: input.price.id,
            product: typeof input.price.product === 'string' ? input.price.product : input.price.product.id,
          }
        : undefined,
      type: 'price_details',
      unit_amount_decimal: wireDecimal(input.unitAmountDecimal),
    },
    proration: input.proration,
    quantity: input.quantity,
    quantity_decimal: wireDecimal(input.quantity),
    tax_rates: [],
    test_clock: input.testClock,
  };
}

/** The price and product a price bills, as line items and invoice items refer to them. */
export function priceRef(price: Stripe.Price): { price: string; product: string } {
  return { price: price.id, product: typeof price.product === 'string' ? price.product : price.product.id };
}
