import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, stripeError } from '../../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => h.emulator.reset());
afterAll(() => h.emulator.close());

async function monthlyPrice(amount: number) {
  return h.stripe.prices.create({
    product_data: { name: 'Team' },
    currency: 'usd',
    unit_amount: amount,
    recurring: { interval: 'month' },
  });
}

describe('customer balance transactions', () => {
  it('adds to the balance, takes the customer’s currency, and says so with customer.updated', async () => {
    const customer = await h.stripe.customers.create({ email: 'ada@example.com' });
    const credit = await h.stripe.customers.createBalanceTransaction(customer.id, {
      amount: -500,
      currency: 'USD',
      description: 'Outage',
      metadata: { ticket: '12' },
    });
    expect(credit).toMatchObject({
      object: 'customer_balance_transaction',
      amount: -500,
      currency: 'usd',
      customer: customer.id,
      description: 'Outage',
      ending_balance: -500,
      invoice: null,
      metadata: { ticket: '12' },
      type: 'adjustment',
    });
    expect(credit.id).toMatch(/^cbtxn_/);
    const debit = await h.stripe.customers.createBalanceTransaction(customer.id, {
      amount: 200,
      currency: 'usd',
    });
    expect(debit.ending_balance).toBe(-300);

    const after = await h.stripe.customers.retrieve(customer.id, { expand: ['invoice_credit_balance'] });
    expect(after).toMatchObject({ balance: -300, currency: 'usd', invoice_credit_balance: { usd: 300 } });
    const [last, first] = (await h.stripe.events.list({ type: 'customer.updated' })).data;
    expect(first!.data.previous_attributes).toEqual({ balance: 0, currency: null });
    expect(last!.data.previous_attributes).toEqual({ balance: -500 });
    expect(last!.data.object).toMatchObject({ balance: -300 });

    const listed = await h.stripe.customers.listBalanceTransactions(customer.id);
    expect(listed.data.map((t) => t.id)).toEqual([debit.id, credit.id]);
    const updated = await h.stripe.customers.updateBalanceTransaction(customer.id, credit.id, {
      description: 'Outage on 3 Dec',
      metadata: { ticket: '' },
    });
    expect(updated).toMatchObject({ amount: -500, description: 'Outage on 3 Dec', metadata: {} });
  });

  it('refuses a zero amount, another currency, and another customer’s transaction', async () => {
    const customer = await h.stripe.customers.create({ email: 'ada@example.com' });
    const other = await h.stripe.customers.create({ email: 'bob@example.com' });
    expect(
      (
        await stripeError(
          h.stripe.customers.createBalanceTransaction(customer.id, { amount: 0, currency: 'usd' }),
        )
      ).param,
    ).toBe('amount');
    const credit = await h.stripe.customers.createBalanceTransaction(customer.id, {
      amount: -100,
      currency: 'usd',
    });
    const mismatch = await stripeError(
      h.stripe.customers.createBalanceTransaction(customer.id, { amount: -100, currency: 'eur' }),
    );
    expect(mismatch).toMatchObject({ statusCode: 400, param: 'currency' });
    const foreign = await stripeError(h.stripe.customers.retrieveBalanceTransaction(other.id, credit.id));
    expect(foreign).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect((await h.stripe.customers.retrieve(customer.id)) as { balance: number }).toMatchObject({
      balance: -100,
    });
  });

  it('applies a credit to the next invoice finalized, as an applied_to_invoice transaction', async () => {
    const customer = await h.stripe.customers.create({
      email: 'ada@example.com',
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    await h.stripe.customers.createBalanceTransaction(customer.id, { amount: -1500, currency: 'usd' });
    const price = await monthlyPrice(1000);
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      expand: ['latest_invoice'],
    });
    const invoice = subscription.latest_invoice;
    if (typeof invoice !== 'object' || invoice === null) throw new Error('latest_invoice not expanded');
    // The whole invoice is paid from the credit; what is left stays for the next one.
    expect(invoice).toMatchObject({
      total: 1000,
      starting_balance: -1500,
      ending_balance: -500,
      amount_due: 0,
      status: 'paid',
    });
    const [applied] = (await h.stripe.customers.listBalanceTransactions(customer.id, { invoice: invoice.id }))
      .data;
    expect(applied).toMatchObject({ type: 'applied_to_invoice', amount: 1000, ending_balance: -500 });
    expect((await h.stripe.customers.retrieve(customer.id)) as { balance: number }).toMatchObject({
      balance: -500,
    });
  });
});
