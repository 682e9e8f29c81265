// Stripe Tax in the emulator through the official SDK: the tax settings that must be active, the
// refusals Stripe answers, and the test table's tax on subscriptions' invoices and on Checkout.

import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Harness } from '../testing/harness.js';
import { billingTestHarness } from './testing/billing-fixtures.js';

let h: Harness;
let stripe: Stripe;
const billing = billingTestHarness();
beforeEach(() => {
  ({ h, stripe } = billing);
});

const activate = () =>
  stripe.tax.settings.update({
    head_office: { address: { country: 'US', state: 'CA', postal_code: '94103' } },
  });

async function monthly(amount: number, taxBehavior?: 'exclusive' | 'inclusive') {
  const product = await stripe.products.create({ name: 'Pro' });
  return stripe.prices.create({
    product: product.id,
    currency: 'eur',
    unit_amount: amount,
    recurring: { interval: 'month' },
    ...(taxBehavior && { tax_behavior: taxBehavior }),
  });
}

async function customerIn(country: string | null) {
  const customer = await stripe.customers.create({
    email: 'tax@example.com',
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
    ...(country && { address: { country, line1: '1 Main St', postal_code: '10115' } }),
  });
  return customer;
}

describe('tax settings', () => {
  it('start pending with head_office missing, and are active once a head office is set', async () => {
    expect(await stripe.tax.settings.retrieve()).toMatchObject({
      object: 'tax.settings',
      status: 'pending',
      head_office: null,
      status_details: { pending: { missing_fields: ['head_office'] } },
    });
    const updated = await activate();
    expect(updated).toMatchObject({ status: 'active', status_details: { active: {} } });
    expect(updated.head_office?.address.country).toBe('US');
  });
});

describe('automatic tax on subscriptions', () => {
  it('is refused while Stripe Tax is not active, and nothing is created', async () => {
    const price = await monthly(1000, 'exclusive');
    const customer = await customerIn('DE');
    const refused = await stripe.subscriptions
      .create({ customer: customer.id, items: [{ price: price.id }], automatic_tax: { enabled: true } })
      .catch((e: Stripe.errors.StripeError) => e);
    expect(refused).toMatchObject({ type: 'StripeInvalidRequestError', code: 'stripe_tax_inactive' });
    expect((await stripe.subscriptions.list({ status: 'all' })).data).toHaveLength(0);
  });

  it('is refused for a customer without a location and a price without a tax behaviour', async () => {
    await activate();
    const taxed = await monthly(1000, 'exclusive');
    const nowhere = await customerIn(null);
    await expect(
      stripe.subscriptions.create({
        customer: nowhere.id,
        items: [{ price: taxed.id }],
        automatic_tax: { enabled: true },
      }),
    ).rejects.toMatchObject({ code: 'customer_tax_location_invalid' });
    const unspecified = await monthly(1000);
    const german = await customerIn('DE');
    await expect(
      stripe.subscriptions.create({
        customer: german.id,
        items: [{ price: unspecified.id }],
        automatic_tax: { enabled: true },
      }),
    ).rejects.toMatchObject({ param: 'items[0][price]' });
    // The account's default behaviour fills in for the price's.
    await stripe.tax.settings.update({ defaults: { tax_behavior: 'inclusive' } });
    const sub = await stripe.subscriptions.create({
      customer: german.id,
      items: [{ price: unspecified.id }],
      automatic_tax: { enabled: true },
    });
    const invoice = await stripe.invoices.retrieve(String(sub.latest_invoice));
    // 1000 including 19 %: 840 net, 160 tax.
    expect(invoice).toMatchObject({ total: 1000, total_excluding_tax: 840, subtotal: 1000 });
    expect(invoice.total_taxes).toEqual([
      expect.objectContaining({ amount: 160, taxable_amount: 840, tax_behavior: 'inclusive' }),
    ]);
  });

  it('puts the table’s tax on every invoice, exclusive on top of the price', async () => {
    await activate();
    const price = await monthly(1000, 'exclusive');
    const customer = await customerIn('DE');
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      automatic_tax: { enabled: true },
    });
    expect(sub.automatic_tax).toEqual({ disabled_reason: null, enabled: true, liability: { type: 'self' } });
    const invoice = await stripe.invoices.retrieve(String(sub.latest_invoice));
    expect(invoice).toMatchObject({
      status: 'paid',
      subtotal: 1000,
      total: 1190,
      total_excluding_tax: 1000,
      amount_paid: 1190,
      automatic_tax: { enabled: true, status: 'complete', provider: 'stripe' },
    });
    expect(invoice.total_taxes).toEqual([
      {
        amount: 190,
        tax_behavior: 'exclusive',
        tax_rate_details: { tax_rate: 'txr_test_DE_exclusive' },
        taxability_reason: 'standard_rated',
        taxable_amount: 1000,
        type: 'tax_rate_details',
      },
    ]);
    expect(invoice.lines.data[0]!.taxes).toEqual(invoice.total_taxes);

    // A country the table does not list collects nothing, and says so.
    const american = await customerIn('US');
    const other = await stripe.subscriptions.create({
      customer: american.id,
      items: [{ price: price.id }],
      automatic_tax: { enabled: true },
    });
    const untaxed = await stripe.invoices.retrieve(String(other.latest_invoice));
    expect(untaxed).toMatchObject({ total: 1000, automatic_tax: { status: 'complete' } });
    expect(untaxed.total_taxes).toEqual([
      expect.objectContaining({ amount: 0, taxability_reason: 'not_collecting' }),
    ]);
  });
});

describe('automatic tax in Checkout', () => {
  it('refuses what Stripe refuses for an existing customer', async () => {
    await activate();
    const price = await monthly(1000, 'exclusive');
    const customer = await customerIn(null);
    const base = {
      mode: 'subscription' as const,
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'https://example.com/ok',
    };
    await expect(
      stripe.checkout.sessions.create({ ...base, automatic_tax: { enabled: true } }),
    ).rejects.toMatchObject({ param: 'automatic_tax[enabled]' });
    await expect(
      stripe.checkout.sessions.create({
        ...base,
        tax_id_collection: { enabled: true },
        customer_update: { address: 'auto' },
      }),
    ).rejects.toMatchObject({ param: 'tax_id_collection[enabled]' });
  });

  it('asks for the address, taxes the session and the subscription it makes', async () => {
    await activate();
    const price = await monthly(1000, 'exclusive');
    const customer = await customerIn(null);
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 2 }],
      success_url: 'https://example.com/ok',
      automatic_tax: { enabled: true },
      billing_address_collection: 'required',
      tax_id_collection: { enabled: true },
      customer_update: { address: 'auto', name: 'auto' },
    });
    expect(session.automatic_tax).toEqual({
      enabled: true,
      liability: { type: 'self' },
      provider: 'stripe',
      status: 'requires_location_inputs',
    });
    const page = await (await fetch(`${h.emulator.url}/c/pay/${session.id}`)).text();
    expect(page).toContain('Billing address');
    const post = (form: Record<string, string>) =>
      fetch(`${h.emulator.url}/c/pay/${session.id}`, {
        method: 'POST',
        body: new URLSearchParams(form),
        redirect: 'manual',
      });
    expect((await post({ card: 'visa' })).status).toBe(400);
    const paid = await post({
      card: 'visa',
      country: 'fr',
      line1: '1 rue de Rivoli',
      postal_code: '75001',
      tax_id: 'FR12345678901',
    });
    expect(paid.status).toBe(303);

    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({
      status: 'complete',
      amount_subtotal: 2000,
      amount_total: 2400,
      total_details: { amount_tax: 400 },
      automatic_tax: { status: 'complete' },
      customer_details: { address: { country: 'FR' }, tax_ids: [{ type: 'eu_vat', value: 'FR12345678901' }] },
    });
    const [item] = (await stripe.checkout.sessions.listLineItems(session.id)).data;
    expect(item).toMatchObject({ amount_subtotal: 2000, amount_tax: 400, amount_total: 2400 });
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      address: { country: 'FR' },
    });
    const sub = await stripe.subscriptions.retrieve(String(done.subscription));
    expect(sub.automatic_tax.enabled).toBe(true);
    const invoice = await stripe.invoices.retrieve(String(sub.latest_invoice));
    expect(invoice).toMatchObject({ total: 2400, amount_paid: 2400, total_excluding_tax: 2000 });
  });

  it('keeps the address and tax id through a 3-D Secure challenge', async () => {
    await activate();
    const price = await monthly(1000, 'exclusive');
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer_email: 'secure@example.com',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'https://example.com/ok',
      automatic_tax: { enabled: true },
      tax_id_collection: { enabled: true },
    });
    const post = (path: string, form: Record<string, string>) =>
      fetch(`${h.emulator.url}/c/pay/${session.id}${path}`, {
        method: 'POST',
        body: new URLSearchParams(form),
        redirect: 'manual',
      });
    const fields = { card: 'three_d_secure_2', country: 'NL', postal_code: '1012', tax_id: 'NL123' };
    const challenge = await (await post('', fields)).text();
    expect(challenge).toContain('name="country" value="NL"');
    const done = await post('/authenticate', { ...fields, email: '', outcome: 'complete' });
    expect(done.status).toBe(303);
    const completed = await stripe.checkout.sessions.retrieve(session.id);
    // 21 % in the test table.
    expect(completed).toMatchObject({
      amount_total: 1210,
      total_details: { amount_tax: 210 },
      customer_details: { address: { country: 'NL' }, tax_ids: [{ type: 'eu_vat', value: 'NL123' }] },
    });
    const sub = await stripe.subscriptions.retrieve(String(completed.subscription));
    expect((await stripe.invoices.retrieve(String(sub.latest_invoice))).total).toBe(1210);
  });

  it('previews an untaxed subscription as it would be with automatic tax', async () => {
    await activate();
    const price = await monthly(1000, 'exclusive');
    const customer = await customerIn('GB');
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect((await stripe.invoices.createPreview({ subscription: sub.id })).total).toBe(1000);
    const taxed = await stripe.invoices.createPreview({
      subscription: sub.id,
      automatic_tax: { enabled: true },
    });
    expect(taxed).toMatchObject({ total: 1200, automatic_tax: { enabled: true, status: 'complete' } });
  });
});
