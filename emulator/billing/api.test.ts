// The in-process billing API other emulator modules call: same rules and events as over HTTP.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.js';
import { billingApi } from './api.js';
import { createCatalog, customerWithCard, switchCard } from './testing/billing-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emulator.close());

describe('billingApi', () => {
  it('creates a subscription and pays an invoice in-process, visible through the API', async () => {
    const catalog = await createCatalog(h.stripe);
    const customer = await customerWithCard(h.stripe, { card: 'pm_card_chargeCustomerFail' });
    const api = billingApi(h.emulator.context);
    const subscription = api.createSubscription({
      customer: customer.id,
      items: [{ price: catalog.basic.id }],
    });
    expect(subscription.status).toBe('incomplete');
    const invoiceId = String(subscription.latest_invoice);
    expect(api.payInvoice(invoiceId).paid).toBe(false);
    await switchCard(h.stripe, customer.id, 'pm_card_visa');
    const { invoice, paid } = api.payInvoice(invoiceId);
    expect(paid).toBe(true);
    expect(invoice.status).toBe('paid');
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    expect(() => api.updateSubscription('sub_missing', {})).toThrow(/No such subscription/);
  });
});
