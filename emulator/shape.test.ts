/**
 * Field-set test: every object the emulator serves has exactly the fields of Stripe's own example
 * of it in fixtures3.json: none missing, none invented, at the top level and in the main nested
 * objects. Fixtures may show an expandable field expanded; only names are compared.
 *
 * Where the SDK types (the truth for API version `Stripe.API_VERSION`) declare a required field
 * that the fixture predates, the row lists it in `sdkOnly`; the test checks that claim against the
 * SDK's declaration file, so the exception cannot hide an invented field.
 *
 * Add a row for every resource you serve: `object` is the fixture key, `make` creates one through
 * the SDK, `nested` names nested objects to compare as well (dotted paths).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testing/harness.js';

interface ShapeRow {
  object: string;
  make: (stripe: Stripe) => Promise<unknown>;
  nested?: string[];
  /** Required fields of the SDK type that the fixture lacks: [declaration file, interface, fields]. */
  sdkOnly?: { file: string; type: string; fields: string[] };
  /** Fixture fields the SDK type no longer declares at all (removed from the API version). */
  fixtureOnly?: { file: string; type: string; fields: string[] };
}

/** A customer with a card and a paid monthly subscription: the billing objects all hang off it. */
async function paidSubscription(stripe: Stripe): Promise<Stripe.Subscription> {
  const product = await stripe.products.create({ name: 'Shape plan' });
  const price = await stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: 2000,
    recurring: { interval: 'month' },
  });
  const customer = await stripe.customers.create({
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  return stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
}

const meter = (stripe: Stripe, eventName: string) =>
  stripe.billing.meters.create({
    display_name: 'Shape meter',
    event_name: eventName,
    default_aggregation: { formula: 'sum' },
  });

async function paidInvoice(stripe: Stripe): Promise<Stripe.Invoice> {
  const subscription = await paidSubscription(stripe);
  return stripe.invoices.retrieve(String(subscription.latest_invoice));
}

async function paidCharge(stripe: Stripe): Promise<Stripe.Charge> {
  const invoice = await paidInvoice(stripe);
  const charges = await stripe.charges.list({ customer: String(invoice.customer) });
  return charges.data[0]!;
}

const rows: ShapeRow[] = [
  {
    object: 'product',
    make: (stripe) => stripe.products.create({ name: 'Shape' }),
    sdkOnly: { file: 'Products.d.ts', type: 'Product', fields: ['tax_details'] },
  },
  {
    object: 'price',
    make: async (stripe) => {
      const product = await stripe.products.create({ name: 'Shape' });
      return stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 2000,
        recurring: { interval: 'month' },
        transform_quantity: { divide_by: 10, round: 'down' },
      });
    },
    nested: ['recurring', 'transform_quantity'],
  },
  {
    object: 'customer',
    make: (stripe) => stripe.customers.create({ email: 'shape@example.com', address: { city: 'Paris' } }),
    nested: ['address', 'invoice_settings'],
  },
  {
    object: 'customer_balance_transaction',
    make: async (stripe) => {
      const customer = await stripe.customers.create({ email: 'shape@example.com' });
      return stripe.customers.createBalanceTransaction(customer.id, { amount: -500, currency: 'usd' });
    },
  },
  {
    object: 'payment_method',
    make: (stripe) => stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } }),
    nested: [
      'card',
      'card.checks',
      'card.networks',
      'card.three_d_secure_usage',
      'billing_details',
      'billing_details.address',
    ],
  },
  {
    object: 'setup_intent',
    make: (stripe) => stripe.setupIntents.create({ usage: 'off_session' }),
    sdkOnly: { file: 'SetupIntents.d.ts', type: 'SetupIntent', fields: ['allowed_payment_method_types'] },
  },
  {
    object: 'coupon',
    make: (stripe) =>
      stripe.coupons.create({ percent_off: 25, duration: 'repeating', duration_in_months: 3 }),
  },
  {
    object: 'promotion_code',
    make: async (stripe) => {
      const coupon = await stripe.coupons.create({ percent_off: 10 });
      return stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id } });
    },
    nested: ['restrictions', 'promotion'],
  },
  {
    object: 'webhook_endpoint',
    // The create response adds `secret`, shown only then; the object itself has the fixture's fields.
    make: async (stripe) => {
      const created = await stripe.webhookEndpoints.create({
        url: 'http://127.0.0.1:9/hook',
        enabled_events: ['*'],
      });
      return stripe.webhookEndpoints.retrieve(created.id);
    },
  },
  {
    object: 'subscription',
    make: paidSubscription,
    nested: ['items', 'invoice_settings', 'payment_settings', 'trial_settings'],
  },
  {
    object: 'subscription_item',
    make: async (stripe) => (await paidSubscription(stripe)).items.data[0],
    nested: ['price', 'plan'],
    sdkOnly: { file: 'SubscriptionItems.d.ts', type: 'SubscriptionItem', fields: ['current_trial'] },
  },
  {
    object: 'subscription_schedule',
    make: async (stripe) =>
      stripe.subscriptionSchedules.create({ from_subscription: (await paidSubscription(stripe)).id }),
    nested: ['current_phase', 'default_settings'],
    sdkOnly: {
      file: 'SubscriptionSchedules.d.ts',
      type: 'SubscriptionSchedule',
      fields: ['pause_schedules'],
    },
  },
  {
    object: 'invoice',
    make: paidInvoice,
    nested: ['lines', 'status_transitions'],
    fixtureOnly: { file: 'Invoices.d.ts', type: 'Invoice', fields: ['subscription'] },
  },
  {
    object: 'line_item',
    make: async (stripe) => (await paidInvoice(stripe)).lines.data[0],
    nested: ['period', 'parent'],
  },
  {
    object: 'invoiceitem',
    make: async (stripe) => {
      const customer = await stripe.customers.create({ email: 'items@example.com' });
      return stripe.invoiceItems.create({
        customer: customer.id,
        amount: 500,
        currency: 'usd',
        description: 'Setup',
      });
    },
    nested: ['period', 'pricing'],
  },
  {
    object: 'payment_intent',
    make: (stripe) => stripe.paymentIntents.create({ amount: 1099, currency: 'usd' }),
    sdkOnly: {
      file: 'PaymentIntents.d.ts',
      type: 'PaymentIntent',
      fields: ['allowed_payment_method_types', 'payment_record'],
    },
  },
  {
    object: 'charge',
    make: paidCharge,
    nested: ['refunds', 'outcome'],
  },
  {
    object: 'refund',
    make: async (stripe) => stripe.refunds.create({ charge: (await paidCharge(stripe)).id, amount: 500 }),
  },
  {
    object: 'dispute',
    make: async (stripe) => {
      const customer = await stripe.customers.create({ payment_method: 'pm_card_createDispute' });
      const paid = await stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        customer: customer.id,
        payment_method: 'pm_card_createDispute',
        confirm: true,
      });
      return (await stripe.disputes.list({ payment_intent: paid.id })).data[0];
    },
    // evidence_details is left out: the SDK requires its submission_method, which the fixture predates.
    nested: ['evidence', 'payment_method_details.card'],
    sdkOnly: { file: 'Disputes.d.ts', type: 'Dispute', fields: ['intended_submission_method'] },
  },
  {
    object: 'radar.early_fraud_warning',
    make: async (stripe) => {
      const paid = await stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_createIssuerFraudRecord',
        confirm: true,
      });
      return (await stripe.radar.earlyFraudWarnings.list({ charge: String(paid.latest_charge) })).data[0];
    },
  },
  {
    object: 'invoice_payment',
    make: async (stripe) => {
      const invoice = await paidInvoice(stripe);
      return (await stripe.invoicePayments.list({ invoice: invoice.id })).data[0];
    },
    nested: ['status_transitions'],
  },
  {
    object: 'test_helpers.test_clock',
    make: (stripe) => stripe.testHelpers.testClocks.create({ frozen_time: 1_767_225_600, name: 'Shape' }),
  },
  {
    object: 'checkout.session',
    make: async (stripe) => {
      const subscription = await paidSubscription(stripe);
      return stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: subscription.items.data[0]!.price.id, quantity: 1 }],
        success_url: 'https://example.com/success',
      });
    },
    nested: ['automatic_tax', 'custom_text', 'saved_payment_method_options', 'total_details'],
    sdkOnly: { file: 'Checkout/Sessions.d.ts', type: 'Session', fields: ['allowed_payment_method_types'] },
  },
  {
    object: 'item',
    make: async (stripe) => {
      const product = await stripe.products.create({ name: 'T-shirt' });
      const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1000 });
      const session = await stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [{ price: price.id, quantity: 1 }],
      });
      return (await stripe.checkout.sessions.listLineItems(session.id)).data[0];
    },
  },
  {
    object: 'billing_portal.configuration',
    make: (stripe) =>
      stripe.billingPortal.configurations.create({
        business_profile: { privacy_policy_url: 'https://example.com/privacy' },
        features: { invoice_history: { enabled: true } },
      }),
    // Not `features`: the SDK requires `features.subscription_pause`, which the fixture predates.
    nested: ['business_profile', 'login_page'],
  },
  {
    object: 'billing_portal.session',
    make: async (stripe) => {
      const customer = await stripe.customers.create({ email: 'portal@example.com' });
      return stripe.billingPortal.sessions.create({
        customer: customer.id,
        return_url: 'https://example.com',
      });
    },
  },
  {
    object: 'billing.meter',
    make: (stripe) => meter(stripe, 'shape_meter'),
    nested: ['customer_mapping', 'default_aggregation', 'status_transitions', 'value_settings'],
  },
  {
    object: 'billing.meter_event',
    make: async (stripe) => {
      await meter(stripe, 'shape_event');
      const customer = await stripe.customers.create({});
      return stripe.billing.meterEvents.create({
        event_name: 'shape_event',
        payload: { stripe_customer_id: customer.id, value: '25' },
        identifier: 'shape-1',
      });
    },
  },
  {
    object: 'billing.meter_event_summary',
    make: async (stripe) => {
      const { id } = await meter(stripe, 'shape_summary');
      const customer = await stripe.customers.create({});
      const now = Math.floor(Date.now() / 60_000) * 60;
      const list = await stripe.billing.meters.listEventSummaries(id, {
        customer: customer.id,
        start_time: now - 3_600,
        end_time: now,
      });
      return list.data[0];
    },
  },
  {
    object: 'event',
    make: async (stripe) => {
      await stripe.products.create({ name: 'Evented' });
      const events = await stripe.events.list({ limit: 1 });
      return events.data[0];
    },
    nested: ['request'],
  },
];

const fixtures = (
  JSON.parse(readFileSync(join(import.meta.dirname, '../../shared/stripe/fixtures3.json'), 'utf8')) as {
    resources: Record<string, Record<string, unknown>>;
  }
).resources;

const sdkResources = join(dirname(createRequire(import.meta.url).resolve('stripe')), '../esm/resources');

/** Required (non-optional) top-level fields of an interface in the SDK's declarations. */
function sdkRequiredFields(file: string, type: string): Set<string> {
  const source = readFileSync(join(sdkResources, file), 'utf8');
  const body = new RegExp(`^export interface ${type} \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(source)?.[1] ?? '';
  return new Set([...body.matchAll(/^ {4}([a-z_0-9]+):/gm)].map((m) => m[1]!));
}

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | null)?.[key], value);
}

const keysOf = (value: unknown) => Object.keys(value as object).sort();

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emulator.close());

describe('objects have the fields of Stripe’s fixtures', () => {
  it.each(rows)('$object', async (row) => {
    const fixture = fixtures[row.object];
    expect(fixture, `fixtures3.json has no ${row.object}`).toBeDefined();
    const made = await row.make(h.stripe);
    const sdkOnly = row.sdkOnly?.fields ?? [];
    if (row.sdkOnly) {
      const required = sdkRequiredFields(row.sdkOnly.file, row.sdkOnly.type);
      for (const field of sdkOnly) expect(required, `${field} is not a required SDK field`).toContain(field);
    }
    const fixtureOnly = row.fixtureOnly?.fields ?? [];
    if (row.fixtureOnly) {
      const source = readFileSync(join(sdkResources, row.fixtureOnly.file), 'utf8');
      const body =
        new RegExp(`^export interface ${row.fixtureOnly.type} \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(
          source,
        )?.[1] ?? '';
      for (const field of fixtureOnly) {
        expect(body, `${field} is still an SDK field`).not.toMatch(new RegExp(`^ {4}${field}\\??:`, 'm'));
      }
    }
    const expected = [...new Set([...keysOf(fixture), ...sdkOnly])]
      .filter((k) => !fixtureOnly.includes(k))
      .sort();
    expect(keysOf(made)).toEqual(expected);
    for (const path of row.nested ?? []) {
      const ours = at(made, path);
      const theirs = at(fixture, path);
      expect(ours, `${row.object}.${path} is not an object`).toBeTypeOf('object');
      expect(theirs, `fixture ${row.object}.${path} is not an object`).toBeTypeOf('object');
      expect(keysOf(ours), `${row.object}.${path}`).toEqual(keysOf(theirs));
    }
  });
});
