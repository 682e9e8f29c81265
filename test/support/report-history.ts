import { expect } from 'vitest';
import type { Stripe } from '../../src/stripe/index.js';
import { bearer, type TestApp } from './app.js';

/**
 * Hand-written Stripe event payloads for the reports' history: exact dates and amounts that the
 * emulator's clocks could only approximate. Shapes follow Stripe's objects (see mapping.ts).
 */

export const at = (iso: string) => Math.floor(new Date(`${iso}Z`).getTime() / 1000);

let sequence = 0;
export function event(type: string, object: unknown, created: number): Stripe.Event {
  sequence += 1;
  return {
    id: `evt_report_${sequence}`,
    object: 'event',
    api_version: '2025-09-30.clover',
    created,
    data: { object },
    livemode: false,
    pending_webhooks: 0,
    request: { id: null, idempotency_key: null },
    type,
  } as unknown as Stripe.Event;
}

export interface PriceSpec {
  id: string;
  amount: number;
  currency?: string;
  interval: 'day' | 'week' | 'month' | 'year';
  count?: number;
}

export interface SubscriptionState {
  id: string;
  customer: string;
  status: string;
  price: PriceSpec;
  quantity?: number;
  created: number;
  trial?: { start: number; end: number };
  canceledAt?: number;
  cancellationReason?: string;
}

export function subscription(s: SubscriptionState) {
  const currency = s.price.currency ?? 'usd';
  return {
    id: s.id,
    object: 'subscription',
    customer: s.customer,
    status: s.status,
    currency,
    collection_method: 'charge_automatically',
    cancel_at_period_end: false,
    cancel_at: null,
    canceled_at: s.canceledAt ?? null,
    ended_at: s.canceledAt ?? null,
    trial_start: s.trial?.start ?? null,
    trial_end: s.trial?.end ?? null,
    latest_invoice: null,
    default_payment_method: null,
    cancellation_details: { reason: s.cancellationReason ?? null },
    pause_collection: null,
    metadata: {},
    created: s.created,
    items: {
      object: 'list',
      data: [
        {
          id: `si_${s.id}`,
          object: 'subscription_item',
          created: s.created,
          quantity: s.quantity ?? 1,
          current_period_start: s.created,
          current_period_end: s.created + 30 * 86_400,
          price: {
            id: s.price.id,
            object: 'price',
            product: 'prod_report',
            currency,
            unit_amount: s.price.amount,
            recurring: { interval: s.price.interval, interval_count: s.price.count ?? 1 },
          },
        },
      ],
    },
  };
}

export interface InvoiceState {
  id: string;
  customer: string;
  subscription: string;
  status: 'draft' | 'open' | 'paid';
  total: number;
  created: number;
  paidAt?: number;
  attempts: number;
  /** Stripe Tax's tax inside `total` (one inclusive VAT entry), if any. */
  tax?: number;
}

export function invoice(i: InvoiceState) {
  const paid = i.status === 'paid' ? i.total : 0;
  return {
    id: i.id,
    object: 'invoice',
    customer: i.customer,
    parent: { type: 'subscription_details', subscription_details: { subscription: i.subscription } },
    status: i.status,
    number: null,
    currency: 'usd',
    subtotal: i.total,
    total: i.total,
    amount_due: i.total,
    amount_paid: paid,
    amount_remaining: i.total - paid,
    billing_reason: 'subscription_cycle',
    period_start: i.created,
    period_end: i.created,
    attempt_count: i.attempts,
    next_payment_attempt: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    status_transitions: { paid_at: i.paidAt ?? null },
    total_taxes: i.tax
      ? [
          {
            amount: i.tax,
            tax_behavior: 'inclusive',
            tax_rate_details: { tax_rate: 'txr_test_DE_inclusive' },
            taxability_reason: 'standard_rated',
            taxable_amount: i.total - i.tax,
            type: 'tax_rate_details',
          },
        ]
      : [],
    created: i.created,
  };
}

export function refund(r: { id: string; amount: number; status: string; created: number }) {
  return {
    id: r.id,
    object: 'refund',
    charge: 'ch_report',
    payment_intent: null,
    amount: r.amount,
    currency: 'usd',
    status: r.status,
    reason: null,
    created: r.created,
  };
}

/** An admin's read of `/api/<path>`, which must answer 200: its JSON. */
export async function adminJson(t: TestApp, path: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/${path}`, headers: bearer(t.adminKey) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
