import type { Harness } from '../testing/harness.js';
import { usageLifecycle } from './lifecycle-usage.js';

const DAY = 86_400;

/** Runs the lifecycle; `keep` receives every object the SDK returned (lists included). */
export async function runLifecycle({ stripe, emulator }: Harness, keep: (value: unknown) => void) {
  const k = async <T>(call: Promise<T>): Promise<T> => {
    const value = await call;
    keep(value);
    return value;
  };
  const failed = async (call: Promise<unknown>) => {
    try {
      keep(await call);
    } catch (error) {
      const raw = (error as { raw?: { payment_intent?: unknown; setup_intent?: unknown } }).raw;
      if (raw?.payment_intent) keep(raw.payment_intent);
      if (raw?.setup_intent) keep(raw.setup_intent);
    }
  };

  // Catalog.
  const product = await k(stripe.products.create({ name: 'Pro', metadata: { tier: 'pro' } }));
  await k(stripe.products.update(product.id, { description: 'The pro plan' }));
  await k(stripe.products.list({ limit: 3 }));
  await k(stripe.products.search({ query: "name:'Pro'" }));
  const recurring = (unit_amount: number, interval: 'month' | 'year', lookup_key?: string) =>
    k(
      stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount,
        recurring: { interval },
        lookup_key,
      }),
    );
  const monthly = await recurring(2000, 'month', 'pro_monthly');
  const yearly = await recurring(20000, 'year');
  const addon = await recurring(300, 'month');
  const oneOff = await k(
    stripe.prices.create({
      product_data: { name: 'Setup' },
      currency: 'usd',
      unit_amount: 500,
      transform_quantity: { divide_by: 10, round: 'up' },
    }),
  );
  await k(stripe.prices.update(monthly.id, { nickname: 'Monthly' }));
  await k(stripe.prices.list({ product: product.id }));
  await k(stripe.prices.search({ query: "currency:'usd'" }));
  await k(stripe.products.del((await k(stripe.products.create({ name: 'Gone' }))).id));

  // Customers and payment methods.
  const customer = await k(
    stripe.customers.create({
      email: 'ada@example.com',
      name: 'Ada',
      address: { city: 'Paris', country: 'FR' },
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    }),
  );
  await k(stripe.customers.update(customer.id, { metadata: { account: '42' } }));
  // A credit on the customer's invoice balance, which its first invoice below takes.
  const credit = await k(
    stripe.customers.createBalanceTransaction(customer.id, {
      amount: -250,
      currency: 'usd',
      description: 'Goodwill',
    }),
  );
  await k(stripe.customers.updateBalanceTransaction(customer.id, credit.id, { metadata: { ticket: '7' } }));
  await k(stripe.customers.retrieveBalanceTransaction(customer.id, credit.id));
  await k(stripe.customers.listBalanceTransactions(customer.id, { limit: 5 }));
  await k(stripe.customers.retrieve(customer.id, { expand: ['invoice_credit_balance'] }));
  await k(stripe.customers.retrieve(customer.id));
  await k(stripe.customers.list({ limit: 2 }));
  await k(stripe.customers.search({ query: "email:'ada@example.com'" }));
  const card = await k(stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_mastercard' } }));
  await k(stripe.paymentMethods.attach(card.id, { customer: customer.id }));
  await k(stripe.paymentMethods.update(card.id, { billing_details: { name: 'Ada' } }));
  await k(stripe.customers.listPaymentMethods(customer.id));
  await k(stripe.paymentMethods.detach(card.id));
  await k(stripe.customers.del((await k(stripe.customers.create({ email: 'gone@example.com' }))).id));

  // Setup intents: succeeded, needing authentication, canceled.
  const setup = await k(stripe.setupIntents.create({ customer: customer.id, usage: 'off_session' }));
  await k(stripe.setupIntents.confirm(setup.id, { payment_method: 'pm_card_visa' }));
  await failed(
    stripe.setupIntents.create({
      customer: customer.id,
      confirm: true,
      payment_method: 'pm_card_chargeDeclined',
    }),
  );
  const other = await k(stripe.setupIntents.create({ customer: customer.id }));
  await k(stripe.setupIntents.update(other.id, { metadata: { why: 'test' } }));
  await k(stripe.setupIntents.cancel(other.id));
  await k(stripe.setupIntents.list({ customer: customer.id }));

  // Discounts.
  const coupon = await k(
    stripe.coupons.create({ percent_off: 20, duration: 'repeating', duration_in_months: 3 }),
  );
  await k(stripe.coupons.update(coupon.id, { name: 'Launch' }));
  const promotion = await k(
    stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code: 'LAUNCH' }),
  );
  await k(stripe.promotionCodes.update(promotion.id, { metadata: { campaign: 'launch' } }));
  await k(stripe.promotionCodes.list({ code: 'LAUNCH' }));
  await k(stripe.coupons.del((await k(stripe.coupons.create({ amount_off: 100, currency: 'usd' }))).id));

  // Subscriptions: paid with a discount, trialing, changed, canceled.
  const paid = await k(
    stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: monthly.id, quantity: 2 }],
      discounts: [{ coupon: coupon.id }],
    }),
  );
  const trialing = await k(
    stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: yearly.id }],
      trial_period_days: 14,
    }),
  );
  await k(stripe.subscriptions.update(paid.id, { items: [{ id: paid.items.data[0]!.id, quantity: 3 }] }));
  await k(stripe.subscriptions.update(trialing.id, { cancel_at_period_end: true }));
  await k(stripe.subscriptions.retrieve(paid.id));
  await k(stripe.subscriptions.list({ customer: customer.id }));
  await k(stripe.subscriptions.search({ query: `status:'active'` }));
  const extra = await k(
    stripe.subscriptionItems.create({ subscription: paid.id, price: addon.id, quantity: 1 }),
  );
  await k(stripe.subscriptionItems.update(extra.id, { quantity: 2 }));
  await k(stripe.subscriptionItems.list({ subscription: paid.id }));
  await k(stripe.subscriptionItems.del(extra.id));

  // Invoices: the subscription's, a manual one paid, one voided, a draft deleted, a preview.
  const invoices = await k(stripe.invoices.list({ customer: customer.id }));
  await k(stripe.invoices.listLineItems(invoices.data[0]!.id));
  await k(stripe.invoiceItems.create({ customer: customer.id, pricing: { price: oneOff.id }, quantity: 10 }));
  const manual = await k(
    stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' }),
  );
  await k(stripe.invoices.update(manual.id, { description: 'Setup fee' }));
  await k(stripe.invoices.finalizeInvoice(manual.id));
  await k(stripe.invoices.pay(manual.id));
  const voided = await k(
    stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 30 }),
  );
  await k(
    stripe.invoiceItems.create({ customer: customer.id, invoice: voided.id, amount: 700, currency: 'usd' }),
  );
  await k(stripe.invoices.finalizeInvoice(voided.id));
  await k(stripe.invoices.voidInvoice(voided.id));
  const draft = await k(stripe.invoices.create({ customer: customer.id }));
  const item = await k(
    stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 300, currency: 'usd' }),
  );
  await k(stripe.invoiceItems.update(item.id, { description: 'Adjusted' }));
  await k(stripe.invoiceItems.del(item.id));
  await k(stripe.invoices.del(draft.id));
  await k(stripe.invoices.createPreview({ subscription: paid.id }));
  await k(stripe.invoicePayments.list({ invoice: manual.id }));

  // Payments: charges and refunds, a declined and a canceled payment intent.
  const intent = await k(
    stripe.paymentIntents.create({ amount: 1500, currency: 'usd', customer: customer.id }),
  );
  await k(stripe.paymentIntents.update(intent.id, { description: 'One-off' }));
  await k(stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }));
  await failed(
    stripe.paymentIntents.create({
      amount: 900,
      currency: 'usd',
      confirm: true,
      payment_method: 'pm_card_chargeDeclined',
    }),
  );
  await k(
    stripe.paymentIntents.cancel(
      (await k(stripe.paymentIntents.create({ amount: 100, currency: 'usd' }))).id,
    ),
  );
  await k(stripe.paymentIntents.list({ customer: customer.id }));
  const charges = await k(stripe.charges.list({ customer: customer.id }));
  await k(stripe.charges.retrieve(charges.data[0]!.id));
  await k(stripe.charges.search({ query: `customer:'${customer.id}'` }));
  const refund = await k(stripe.refunds.create({ charge: charges.data[0]!.id, amount: 500 }));
  await k(stripe.refunds.update(refund.id, { metadata: { reason: 'goodwill' } }));
  await k(stripe.refunds.list({ charge: charges.data[0]!.id }));

  // Disputes: one won on evidence, one accepted, an inquiry; an early fraud warning made moot by a refund.
  const disputed = async (card: string) => {
    const paid = await k(
      stripe.paymentIntents.create({
        amount: 2500,
        currency: 'usd',
        customer: customer.id,
        confirm: true,
        payment_method: card,
      }),
    );
    return (await k(stripe.disputes.list({ payment_intent: paid.id }))).data[0]!;
  };
  const won = await disputed('pm_card_createDispute');
  await k(
    stripe.disputes.update(won.id, {
      evidence: { uncategorized_text: 'winning_evidence' },
      metadata: { case: 'won' },
    }),
  );
  await k(stripe.disputes.retrieve(won.id, { expand: ['charge', 'payment_intent'] }));
  await k(stripe.disputes.close((await disputed('pm_card_createDisputeProductNotReceived')).id));
  const inquiry = await disputed('pm_card_createDisputeInquiry');
  await k(stripe.disputes.update(inquiry.id, { evidence: { product_description: 'A plan' }, submit: false }));
  await k(
    stripe.disputes.update(inquiry.id, { evidence: { uncategorized_text: 'escalate_inquiry_evidence' } }),
  );
  await k(stripe.disputes.list({ limit: 3 }));
  const warned = await k(
    stripe.paymentIntents.create({
      amount: 1800,
      currency: 'usd',
      customer: customer.id,
      confirm: true,
      payment_method: 'pm_card_createIssuerFraudRecord',
    }),
  );
  const warnings = await k(stripe.radar.earlyFraudWarnings.list({ charge: String(warned.latest_charge) }));
  await k(stripe.refunds.create({ payment_intent: warned.id }));
  await k(stripe.radar.earlyFraudWarnings.retrieve(warnings.data[0]!.id, { expand: ['charge'] }));
  await k(stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: intent.id } }));

  // Schedules: a downgrade at period end, one released, one canceled.
  const schedule = await k(stripe.subscriptionSchedules.create({ from_subscription: paid.id }));
  const current = schedule.phases[0]!;
  await k(
    stripe.subscriptionSchedules.update(schedule.id, {
      phases: [
        {
          items: [{ price: monthly.id, quantity: 3 }],
          start_date: current.start_date,
          end_date: current.end_date,
        },
        { items: [{ price: monthly.id, quantity: 1 }], duration: { interval: 'month' } },
      ],
    }),
  );
  await k(stripe.subscriptionSchedules.list({ customer: customer.id }));
  await k(stripe.subscriptionSchedules.release(schedule.id));
  const later = await k(
    stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: Math.floor(Date.now() / 1000) + 30 * DAY,
      phases: [{ items: [{ price: yearly.id }], duration: { interval: 'year' } }],
    }),
  );
  await k(stripe.subscriptionSchedules.cancel(later.id));
  await k(stripe.subscriptions.cancel(paid.id));

  // A renewal on a test clock: invoices created, finalized and paid by the clock.
  const clock = await k(
    stripe.testHelpers.testClocks.create({ frozen_time: Math.floor(Date.now() / 1000), name: 'Renewal' }),
  );
  const clocked = await k(
    stripe.customers.create({
      test_clock: clock.id,
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    }),
  );
  await k(stripe.subscriptions.create({ customer: clocked.id, items: [{ price: monthly.id }] }));
  await k(stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: clock.frozen_time + 32 * DAY }));
  await k(stripe.testHelpers.testClocks.retrieve(clock.id));
  await k(stripe.testHelpers.testClocks.list());
  await k(stripe.invoices.list({ customer: clocked.id }));
  await k(stripe.testHelpers.testClocks.del(clock.id));

  // Checkout: a subscription bought on the hosted page, a payment session expired.
  const checkout = await k(
    stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: monthly.id, quantity: 1 }],
      success_url: 'https://shop.example/success',
      cancel_url: 'https://shop.example/cancel',
    }),
  );
  const page = await fetch(`${emulator.url}/c/pay/${checkout.id}`, {
    method: 'POST',
    body: new URLSearchParams({ email: 'buyer@example.com', card: 'visa' }),
    redirect: 'manual',
  });
  if (page.status !== 303) throw new Error(`checkout page answered ${page.status}`);
  await k(stripe.checkout.sessions.retrieve(checkout.id));
  await k(stripe.checkout.sessions.listLineItems(checkout.id));
  const oneTime = await k(
    stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: oneOff.id, quantity: 10 }],
      success_url: 'https://shop.example/success',
    }),
  );
  await k(stripe.checkout.sessions.update(oneTime.id, { metadata: { order: '7' } }));
  await k(stripe.checkout.sessions.expire(oneTime.id));
  await k(stripe.checkout.sessions.list({ limit: 5 }));

  // Stripe Tax: settings activated, a taxed Checkout for a customer who enters an address and a
  // tax id, and a taxed subscription changed to another price.
  await k(stripe.tax.settings.retrieve());
  await k(
    stripe.tax.settings.update({
      head_office: { address: { country: 'US', state: 'CA', postal_code: '94103' } },
      defaults: { tax_behavior: 'exclusive' },
    }),
  );
  const taxed = await k(stripe.customers.create({ email: 'taxed@example.com' }));
  const taxedCheckout = await k(
    stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: taxed.id,
      line_items: [{ price: monthly.id, quantity: 1 }],
      success_url: 'https://shop.example/success',
      automatic_tax: { enabled: true },
      billing_address_collection: 'required',
      tax_id_collection: { enabled: true, required: 'never' },
      customer_update: { address: 'auto', name: 'auto' },
    }),
  );
  const taxedPage = await fetch(`${emulator.url}/c/pay/${taxedCheckout.id}`, {
    method: 'POST',
    body: new URLSearchParams({ card: 'visa', country: 'DE', postal_code: '10115', tax_id: 'DE123456789' }),
    redirect: 'manual',
  });
  if (taxedPage.status !== 303) throw new Error(`taxed checkout page answered ${taxedPage.status}`);
  const taxedSession = await k(stripe.checkout.sessions.retrieve(taxedCheckout.id));
  await k(stripe.checkout.sessions.listLineItems(taxedCheckout.id));
  const taxedSubscription = await k(stripe.subscriptions.retrieve(String(taxedSession.subscription)));
  await k(
    stripe.subscriptions.update(taxedSubscription.id, {
      items: [{ id: taxedSubscription.items.data[0]!.id, price: yearly.id }],
      proration_behavior: 'always_invoice',
      automatic_tax: { enabled: true },
    }),
  );
  await k(stripe.invoices.list({ customer: taxed.id }));

  // Expanded references have the referenced resource's shape.
  await k(stripe.prices.retrieve(monthly.id, { expand: ['product'] }));
  await k(stripe.setupIntents.retrieve(setup.id, { expand: ['customer', 'payment_method'] }));
  await k(stripe.promotionCodes.retrieve(promotion.id, { expand: ['promotion.coupon'] }));
  await k(
    stripe.subscriptions.retrieve(paid.id, {
      expand: ['customer', 'default_payment_method', 'discounts', 'schedule'],
    }),
  );
  await k(stripe.invoices.retrieve(manual.id, { expand: ['customer', 'discounts'] }));
  await k(stripe.charges.retrieve(charges.data[0]!.id, { expand: ['customer', 'payment_intent'] }));
  await k(stripe.invoicePayments.list({ invoice: manual.id, expand: ['data.payment.payment_intent'] }));
  await k(stripe.checkout.sessions.retrieve(checkout.id, { expand: ['customer', 'subscription'] }));

  // Billing portal.
  const configuration = await k(
    stripe.billingPortal.configurations.create({
      business_profile: { headline: 'Billing' },
      features: { invoice_history: { enabled: true }, payment_method_update: { enabled: true } },
    }),
  );
  await k(stripe.billingPortal.configurations.update(configuration.id, { name: 'Default' }));
  await k(stripe.billingPortal.configurations.list());
  await k(stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'https://app.example' }));

  await usageLifecycle(stripe, k);

  // Webhook endpoints.
  const endpoint = await k(
    stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/hook', enabled_events: ['*'] }),
  );
  await k(stripe.webhookEndpoints.update(endpoint.id, { description: 'Local' }));
  await k(stripe.webhookEndpoints.list());
  await k(stripe.webhookEndpoints.del(endpoint.id));
  await emulator.webhooksIdle();
}
