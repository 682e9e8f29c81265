// The billing portal: configurations and sessions through the official SDK, and the portal page
// through plain HTTP form posts, each action checked against its effect on the subscription and
// the events billing sends for it.

import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Catalog,
  createCatalog,
  customerWithCard,
  eventTypesSince,
  latestEventId,
} from '../billing/testing/billing-fixtures.js';
import { type Harness, startHarness, stripeError } from '../testing/harness.js';

let h: Harness;
let catalog: Catalog;
let customer: Stripe.Customer;
let subscription: Stripe.Subscription;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emulator.close());
beforeEach(async () => {
  await h.emulator.reset();
  catalog = await createCatalog(h.stripe);
  customer = await customerWithCard(h.stripe);
  subscription = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: catalog.basic.id }],
    default_payment_method: String(customer.invoice_settings.default_payment_method),
  });
});

async function openPortal(params: Partial<Stripe.BillingPortal.SessionCreateParams> = {}) {
  const session = await h.stripe.billingPortal.sessions.create({
    customer: customer.id,
    return_url: 'https://app.example/account',
    ...params,
  });
  const response = await fetch(session.url);
  return { session, status: response.status, text: await response.text() };
}

async function post(session: Stripe.BillingPortal.Session, action: string, fields: Record<string, string>) {
  const response = await fetch(`${session.url}/${action}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

describe('portal configurations', () => {
  it('has a default configuration, and keeps products out of sight unless expanded', async () => {
    const listed = await h.stripe.billingPortal.configurations.list();
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0]).toMatchObject({ is_default: true, active: true });
    expect(listed.data[0]!.features.subscription_update).toMatchObject({ enabled: true });

    const created = await h.stripe.billingPortal.configurations.create({
      business_profile: { headline: 'Acme billing' },
      features: {
        invoice_history: { enabled: true },
        subscription_update: {
          enabled: true,
          default_allowed_updates: ['price'],
          proration_behavior: 'always_invoice',
          products: [{ product: String(catalog.pro.product), prices: [catalog.pro.id] }],
        },
      },
    });
    expect(created).toMatchObject({ is_default: false, business_profile: { headline: 'Acme billing' } });
    expect(created.features.subscription_update.products).toBeUndefined();
    expect(created.features.subscription_cancel.enabled).toBe(false);
    const expanded = await h.stripe.billingPortal.configurations.retrieve(created.id, {
      expand: ['features.subscription_update.products'],
    });
    expect(expanded.features.subscription_update.products).toEqual([
      {
        product: catalog.pro.product,
        prices: [catalog.pro.id],
        adjustable_quantity: { enabled: false, maximum: null, minimum: 1 },
      },
    ]);

    const updated = await h.stripe.billingPortal.configurations.update(created.id, { name: 'Upgrades' });
    expect(updated.name).toBe('Upgrades');
    const types = (await h.stripe.events.list()).data.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual([
      'billing_portal.configuration.updated',
      'billing_portal.configuration.created',
    ]);

    const wrongPrice = await stripeError(
      h.stripe.billingPortal.configurations.create({
        features: {
          subscription_update: {
            enabled: true,
            products: [{ product: String(catalog.pro.product), prices: [catalog.basic.id] }],
          },
        },
      }),
    );
    expect(wrongPrice.message).toMatch(/must be a recurring price of the product/);
    const deactivate = await stripeError(
      h.stripe.billingPortal.configurations.update(listed.data[0]!.id, { active: false }),
    );
    expect(deactivate.message).toBe('You cannot deactivate the default configuration.');
  });
});

describe('portal sessions and page', () => {
  it('shows plan, status, next charge, card and invoices with their links', async () => {
    const { session, status, text } = await openPortal();
    expect(session).toMatchObject({
      object: 'billing_portal.session',
      customer: customer.id,
      return_url: 'https://app.example/account',
      flow: null,
    });
    expect(session.url).toBe(`${h.emulator.url}/p/session/${session.id}`);
    expect(status).toBe(200);
    expect(text).toContain('Basic — $20.00 per month');
    expect(text).toContain('Active');
    expect(text).toMatch(/Next charge \$20\.00 on /);
    expect(text).toContain('Visa •••• 4242');
    const invoice = await h.stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect(text).toContain(`href="${invoice.hosted_invoice_url}"`);
    expect(text).toContain(`href="${invoice.invoice_pdf}"`);
    expect(text).toContain('href="https://app.example/account">Return</a>');
    // Without configured products, every recurring price in the subscription's currency is offered.
    expect(text).toContain('Pro — $50.00 per month');
    expect(text).toContain('Pro — $500.00 per year');
  });

  it('offers no metered price as a plan, and shows a metered item by its unit price', async () => {
    const meter = await h.stripe.billing.meters.create({
      display_name: 'Tokens',
      event_name: 'portal_tokens',
      default_aggregation: { formula: 'sum' },
    });
    const tokens = await h.stripe.prices.create({
      product_data: { name: 'Tokens' },
      currency: 'usd',
      unit_amount: 2,
      recurring: { interval: 'month', usage_type: 'metered', meter: meter.id },
    });
    expect((await openPortal()).text).not.toContain('Tokens');
    await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: tokens.id }] });
    expect((await openPortal()).text).toContain('Tokens per unit used — $0.02 per month');
  });

  it('changes plan with the configured proration, through billing', async () => {
    const { session } = await openPortal();
    const before = await latestEventId(h.stripe);
    const changed = await post(session, 'update', { subscription: subscription.id, price: catalog.pro.id });
    expect(changed).toMatchObject({ status: 303, location: `/p/session/${session.id}?notice=plan_updated` });
    const updated = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(updated.items.data[0]!.price.id).toBe(catalog.pro.id);
    // The default configuration creates prorations and leaves them for the next invoice.
    const pending = await h.stripe.invoiceItems.list({ customer: customer.id, pending: true });
    expect(pending.data.map((i) => i.amount).sort((a, b) => a - b)).toEqual([-2000, 5000]);
    expect(await eventTypesSince(h.stripe, before)).toEqual([
      'invoiceitem.created',
      'invoiceitem.created',
      'customer.subscription.updated',
    ]);
    const page = await fetch(`${h.emulator.url}${changed.location}`);
    expect(await page.text()).toContain('Your plan has been updated.');

    const refused = await post(session, 'update', { subscription: subscription.id, price: 'price_unknown' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('This plan is not available for your subscription.');
  });

  it('offers only the configured products', async () => {
    const configuration = await h.stripe.billingPortal.configurations.create({
      features: {
        subscription_update: {
          enabled: true,
          default_allowed_updates: ['price'],
          products: [{ product: String(catalog.pro.product), prices: [catalog.pro.id] }],
        },
      },
    });
    const { text } = await openPortal({ configuration: configuration.id });
    expect(text).toContain('Pro — $50.00 per month');
    expect(text).not.toContain('per year');
    expect(text).not.toContain('Cancel plan');
    expect(text).not.toContain('Invoice history');
  });

  it('cancels at the period end and renews', async () => {
    const { session } = await openPortal();
    expect((await post(session, 'cancel', { subscription: subscription.id })).location).toContain(
      'notice=cancel_scheduled',
    );
    const canceling = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(canceling).toMatchObject({ status: 'active', cancel_at_period_end: true });
    const page = await (await fetch(session.url)).text();
    expect(page).toContain('Cancels on');
    expect(page).toContain('Renew plan');
    expect(page).not.toContain('Next charge');

    await post(session, 'renew', { subscription: subscription.id });
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).cancel_at_period_end).toBe(false);
  });

  it('cancels at once when the configuration says so', async () => {
    const configuration = await h.stripe.billingPortal.configurations.create({
      features: { subscription_cancel: { enabled: true, mode: 'immediately' } },
    });
    const { session } = await openPortal({ configuration: configuration.id });
    expect((await post(session, 'cancel', { subscription: subscription.id })).location).toContain(
      'notice=canceled',
    );
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('canceled');
    expect(await (await fetch(session.url)).text()).toContain('No active subscriptions.');
  });

  it('replaces the card: a declined one is refused, a good one becomes the default', async () => {
    const { session } = await openPortal();
    const declined = await post(session, 'payment_method', { card: 'declined' });
    expect(declined.status).toBe(402);
    expect(declined.text).toContain('Your card was declined.');

    const before = await latestEventId(h.stripe);
    expect((await post(session, 'payment_method', { card: 'mastercard' })).status).toBe(303);
    const updated = await h.stripe.customers.retrieve(customer.id, {
      expand: ['invoice_settings.default_payment_method'],
    });
    const method = (updated as Stripe.Customer).invoice_settings
      .default_payment_method as Stripe.PaymentMethod;
    expect(method.card?.last4).toBe('4444');
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).default_payment_method).toBe(method.id);
    expect(await eventTypesSince(h.stripe, before)).toEqual([
      'payment_method.attached',
      'customer.updated',
      'customer.subscription.updated',
    ]);
    expect(await (await fetch(session.url)).text()).toContain('Mastercard •••• 4444');
  });

  it('opens on a cancellation flow and redirects when it is done', async () => {
    const { session, text } = await openPortal({
      flow_data: {
        type: 'subscription_cancel',
        subscription_cancel: { subscription: subscription.id },
        after_completion: { type: 'redirect', redirect: { return_url: 'https://app.example/bye' } },
      },
    });
    expect(session.flow).toMatchObject({
      type: 'subscription_cancel',
      subscription_cancel: { subscription: subscription.id, retention: null },
      after_completion: { type: 'redirect', redirect: { return_url: 'https://app.example/bye' } },
    });
    expect(text).toContain('Cancel plan');
    expect(text).not.toContain('Payment method');
    const done = await post(session, 'cancel', { subscription: subscription.id });
    expect(done).toMatchObject({ status: 303, location: 'https://app.example/bye' });
    expect(await (await fetch(session.url)).text()).toContain('Payment method');

    const other = await customerWithCard(h.stripe, { email: 'other@example.com' });
    const error = await stripeError(
      h.stripe.billingPortal.sessions.create({
        customer: other.id,
        flow_data: { type: 'subscription_update', subscription_update: { subscription: subscription.id } },
      }),
    );
    expect(error.message).toMatch(/is not an active subscription of/);
  });
});
