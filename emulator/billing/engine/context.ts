// What every part of the billing engine works with: the emulator's store, clock and event log,
// the collections billing owns, read access to the catalog other modules own, and the account's
// billing settings.

import type Stripe from 'stripe';
import type { Clock } from '../../core/clock.js';
import type { EmulatorContext } from '../../core/context.js';
import type { EventLog } from '../../core/events.js';
import type { Store } from '../../core/store.js';
import { customersOf } from '../../resources/collections.js';
import {
  requireCoupon,
  requireCustomer,
  requirePrice,
  requireProduct,
  resolvePaymentMethod,
} from '../../resources/lookups.js';
import { type ChargeSession, chargeOutcome } from '../../resources/payment-outcomes.js';
import { type BillingSettings, billingSettings } from '../settings.js';

/** Bookkeeping Stripe keeps but does not show on the subscription object. */
export interface SubscriptionBookkeeping {
  id: string;
  /** The trial end for which `trial_will_end` went out. */
  trialWillEndSentFor: number | null;
  /** The period end for which `invoice.upcoming` went out. */
  upcomingSentFor: number | null;
  /** The end of its schedule for which `subscription_schedule.expiring` went out. */
  scheduleExpiringSentFor?: number | null;
}

/** Bookkeeping about an invoice's collection. */
export interface InvoiceBookkeeping {
  id: string;
  paymentIntent: string | null;
  firstAttemptAt: number | null;
}

export interface BillingContext {
  emulator: EmulatorContext;
}

export function billingCollections(store: Store) {
  return {
    subscriptions: store.collection<Stripe.Subscription>('subscription'),
    schedules: store.collection<Stripe.SubscriptionSchedule>('subscription_schedule'),
    invoices: store.collection<Stripe.Invoice>('invoice'),
    invoiceItems: store.collection<Stripe.InvoiceItem>('invoiceitem'),
    discounts: store.collection<Stripe.Discount>('discount'),
    paymentIntents: store.collection<Stripe.PaymentIntent>('payment_intent'),
    charges: store.collection<Stripe.Charge>('charge'),
    refunds: store.collection<Stripe.Refund>('refund'),
    disputes: store.collection<Stripe.Dispute>('dispute'),
    earlyFraudWarnings: store.collection<Stripe.Radar.EarlyFraudWarning>('radar.early_fraud_warning'),
    invoicePayments: store.collection<Stripe.InvoicePayment>('invoice_payment'),
    testClocks: store.collection<Stripe.TestHelpers.TestClock>('test_helpers.test_clock'),
    subscriptionBookkeeping: store.collection<SubscriptionBookkeeping>('billing.subscription_bookkeeping'),
    invoiceBookkeeping: store.collection<InvoiceBookkeeping>('billing.invoice_bookkeeping'),
  };
}

export type BillingCollections = ReturnType<typeof billingCollections>;

/** The catalog as billing reads it: records owned by the catalog and customer modules. */
export function catalog(ctx: EmulatorContext) {
  const { store } = ctx;
  return {
    customers: customersOf(store),
    customer: (id: string, param = 'customer') => requireCustomer(store, id, param),
    price: (id: string, param = 'price') => requirePrice(store, id, param) as unknown as Stripe.Price,
    product: (id: string, param = 'product') => requireProduct(store, id, param),
    /** A stored payment method, or a new one for a test card id such as `pm_card_visa`. */
    paymentMethod: (id: string, param = 'payment_method') => resolvePaymentMethod(ctx, id, param),
    coupon: (id: string, param = 'coupon') => requireCoupon(store, id, param),
    /** What charging the payment method does (see resources/payment-outcomes.ts). */
    chargeOutcome: (paymentMethod: string, session: ChargeSession, consume = false) =>
      chargeOutcome(ctx, paymentMethod, { session, consume }),
  };
}

export type Catalog = ReturnType<typeof catalog>;

/** Everything an engine step needs, assembled once per emulator. */
export interface Billing {
  emulator: EmulatorContext;
  store: Store;
  clock: Clock;
  events: EventLog;
  /** Read on every use: they can change between calls (see settings.ts). */
  readonly settings: BillingSettings;
  baseUrl(): string;
  data: BillingCollections;
  catalog: Catalog;
}

export function createBilling(context: BillingContext): Billing {
  const { emulator } = context;
  return {
    emulator,
    store: emulator.store,
    clock: emulator.clock,
    events: emulator.events,
    get settings() {
      return billingSettings(emulator.store);
    },
    baseUrl: () => emulator.baseUrl(),
    data: billingCollections(emulator.store),
    catalog: catalog(emulator),
  };
}

export function subscriptionBookkeeping(billing: Billing, id: string): SubscriptionBookkeeping {
  return (
    billing.data.subscriptionBookkeeping.get(id) ?? { id, trialWillEndSentFor: null, upcomingSentFor: null }
  );
}

export function invoiceBookkeeping(billing: Billing, id: string): InvoiceBookkeeping {
  return billing.data.invoiceBookkeeping.get(id) ?? { id, paymentIntent: null, firstAttemptAt: null };
}

/** The customer's id, whether the field holds the id or the expanded object. */
export function customerId(value: string | { id: string } | null): string {
  if (value === null) throw new Error('Billing objects always belong to a customer');
  return typeof value === 'string' ? value : value.id;
}
