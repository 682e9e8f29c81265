// Checkout Sessions through the official SDK, and the hosted page through plain HTTP form posts,
// as a browser sends them: declines shown on the page, the subscription or payment created in
// Stripe's order, the redirect to success_url, expiry, and promotion codes.

import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  advanceClock,
  type Catalog,
  createCatalog,
  eventTypesSince,
  latestEventId,
} from '../billing/testing/billing-fixtures.js';
import { type Harness, startHarness, stripeError } from '../testing/harness.js';

let h: Harness;
let catalog: Catalog;
let tShirt: Stripe.Price;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emulator.close());
beforeEach(async () => {
  await h.emulator.reset();
  catalog = await createCatalog(h.stripe);
  const product = await h.stripe.products.create({ name: 'T-shirt' });
  tShirt = await h.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1500 });
});

const SUCCESS = 'https://shop.example/success?session={CHECKOUT_SESSION_ID}';

function subscriptionSession(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return h.stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: catalog.basic.id, quantity: 1 }],
    success_url: SUCCESS,
    cancel_url: 'https://shop.example/cancel',
    ...extra,
  });
}

async function openPage(session: Stripe.Checkout.Session) {
  const response = await fetch(session.url!);
  return { status: response.status, text: await response.text() };
}

async function submit(session: Stripe.Checkout.Session, fields: Record<string, string>, path = '') {
  const response = await fetch(`${h.emulator.url}/c/pay/${session.id}${path}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

describe('checkout sessions', () => {
  it('creates a session whose url is the hosted page, with line items shown on request', async () => {
    const session = await subscriptionSession({
      line_items: [{ price: catalog.basic.id, quantity: 2 }],
      client_reference_id: 'user_42',
      metadata: { plan: 'basic' },
    });
    expect(session).toMatchObject({
      object: 'checkout.session',
      mode: 'subscription',
      status: 'open',
      payment_status: 'unpaid',
      currency: 'usd',
      amount_subtotal: 4000,
      amount_total: 4000,
      customer: null,
      client_reference_id: 'user_42',
      metadata: { plan: 'basic' },
      url: `${h.emulator.url}/c/pay/${session.id}`,
    });
    expect(session.id).toMatch(/^cs_test_a1\w{58}$/);
    expect(session.expires_at - session.created).toBe(24 * 3600);
    expect(session.line_items).toBeUndefined();

    const items = await h.stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({
      object: 'item',
      description: 'Basic',
      quantity: 2,
      amount_subtotal: 4000,
      amount_total: 4000,
      price: { id: catalog.basic.id },
    });
    const expanded = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items'] });
    expect(expanded.line_items?.data[0]?.id).toBe(items.data[0]!.id);
  });

  it('refuses what Stripe refuses', async () => {
    const customer = await h.stripe.customers.create({ email: 'a@example.com' });
    const cases: Array<[Promise<unknown>, string | RegExp]> = [
      [subscriptionSession({ line_items: [] }), 'Missing required param: line_items.'],
      [subscriptionSession({ customer: customer.id, customer_email: 'b@example.com' }), /only specify one/],
      [
        h.stripe.checkout.sessions.create({
          mode: 'payment',
          line_items: [{ price: catalog.basic.id, quantity: 1 }],
        }),
        /passed a recurring price/,
      ],
      [subscriptionSession({ line_items: [{ price: catalog.basic.id }] }), /Quantity is required/],
      [subscriptionSession({ expires_at: Math.floor(Date.now() / 1000) + 600 }), /30 minutes and 24 hours/],
      [
        subscriptionSession({ line_items: [{ price: 'price_missing', quantity: 1 }] }),
        "No such price: 'price_missing'",
      ],
    ];
    for (const [call, message] of cases) {
      const error = await stripeError(call);
      expect(error.type).toBe('StripeInvalidRequestError');
      expect(error.message).toMatch(message);
    }
  });

  it('keeps branding_settings, shows them on the page, and refuses what Stripe refuses', async () => {
    const session = await subscriptionSession({
      branding_settings: {
        display_name: 'Acme Cloud',
        button_color: '#FFD60A',
        logo: { type: 'url', url: 'https://acme.example/logo.png' },
      },
    });
    expect(session.branding_settings).toEqual({
      background_color: '#ffffff',
      border_style: 'rounded',
      button_color: '#FFD60A',
      display_name: 'Acme Cloud',
      font_family: 'default',
      icon: null,
      logo: { type: 'url', url: 'https://acme.example/logo.png' },
    });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).branding_settings?.display_name).toBe(
      'Acme Cloud',
    );
    const html = await (await fetch(session.url!)).text();
    expect(html).toContain('<strong>Acme Cloud</strong>');
    expect(html).toContain('src="https://acme.example/logo.png"');
    // A yellow button reads better with black text than white.
    expect(html).toContain('background: #FFD60A; color: #000000;');
    expect((await subscriptionSession()).branding_settings).toBeUndefined();

    for (const branding_settings of [
      { button_color: 'yellow' },
      { logo: { type: 'url' as const } },
      { logo: { type: 'url' as const, url: 'http://acme.example/logo.png' } },
      {
        logo: { type: 'url' as const, url: 'https://a.example/l.png' },
        icon: { type: 'url' as const, url: 'https://a.example/i.png' },
      },
    ]) {
      await expect(subscriptionSession({ branding_settings })).rejects.toMatchObject({
        type: 'StripeInvalidRequestError',
      });
    }
    await expect(subscriptionSession({ branding_settings: { font_family: 'lato' } })).rejects.toMatchObject({
      code: 'parameter_unknown',
    });
  });

  it('expires on request and when expires_at passes, announcing it once', async () => {
    const session = await subscriptionSession();
    const expired = await h.stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ status: 'expired', url: null });
    expect((await stripeError(h.stripe.checkout.sessions.expire(session.id))).message).toMatch(
      /status of `open`/,
    );
    const page = await openPage(session);
    expect(page.text).toContain('This Checkout Session has expired');

    const later = await subscriptionSession();
    h.emulator.clock.set(later.expires_at);
    expect((await h.stripe.checkout.sessions.retrieve(later.id)).status).toBe('expired');
    const events = await h.stripe.events.list({ type: 'checkout.session.expired' });
    expect(events.data.map((e) => (e.data.object as Stripe.Checkout.Session).id).sort()).toEqual(
      [session.id, later.id].sort(),
    );
    h.emulator.clock.set(null);
  });

  it('lists sessions newest first, filtered by status and customer', async () => {
    const customer = await h.stripe.customers.create({ email: 'list@example.com' });
    const first = await subscriptionSession({ customer: customer.id });
    const second = await subscriptionSession();
    await h.stripe.checkout.sessions.expire(second.id);
    const all = await h.stripe.checkout.sessions.list();
    expect(all.data.map((s) => s.id)).toEqual([second.id, first.id]);
    expect((await h.stripe.checkout.sessions.list({ status: 'expired' })).data.map((s) => s.id)).toEqual([
      second.id,
    ]);
    expect((await h.stripe.checkout.sessions.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([
      first.id,
    ]);
  });
});

describe('the hosted Checkout page', () => {
  it('shows the order, takes an email, declines a declined card, then subscribes', async () => {
    const session = await subscriptionSession();
    const page = await openPage(session);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Basic');
    expect(page.text).toContain('$20.00');
    expect(page.text).toContain('<label for="email">Email</label>');
    expect(page.text).toContain('Visa •••• 4242 (succeeds)');
    expect(page.text).toContain('href="https://shop.example/cancel"');
    expect(page.text).not.toMatch(/4242424242424242/);

    const before = await latestEventId(h.stripe);
    const declined = await submit(session, { email: 'new@example.com', card: 'declined' });
    expect(declined.status).toBe(402);
    expect(declined.text).toContain('Your card was declined.');
    expect(declined.text).toContain('value="new@example.com"');
    expect((await h.stripe.customers.list()).data).toHaveLength(0);

    const paid = await submit(session, { email: 'new@example.com', card: 'visa' });
    expect(paid.status).toBe(303);
    expect(paid.location).toBe(`https://shop.example/success?session=${session.id}`);

    const done = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription'] });
    const subscription = done.subscription as Stripe.Subscription;
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', url: null });
    expect(done.customer_details?.email).toBe('new@example.com');
    expect(subscription).toMatchObject({ status: 'active', customer: done.customer });
    const customer = await h.stripe.customers.retrieve(String(done.customer));
    expect(customer).toMatchObject({ email: 'new@example.com' });
    const method = await h.stripe.paymentMethods.retrieve(String(subscription.default_payment_method));
    expect(method).toMatchObject({ customer: customer.id, card: { last4: '4242' } });
    const invoice = await h.stripe.invoices.retrieve(String(done.invoice));
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: 2000 });

    const types = await eventTypesSince(h.stripe, before);
    expect(types[0]).toBe('customer.created');
    expect(types[1]).toBe('payment_method.attached');
    expect(types[2]).toBe('customer.subscription.created');
    expect(types).toContain('invoice.paid');
    expect(types).toContain('charge.succeeded');
    expect(types.at(-1)).toBe('checkout.session.completed');
    expect(types.filter((t) => t === 'customer.created')).toHaveLength(1);

    expect((await openPage(session)).text).toContain('already complete');
    expect((await submit(session, { card: 'visa' })).status).toBe(409);
  });

  // https://docs.stripe.com/payments/subscriptions: Checkout sells flat-rate, usage-based and
  // tiered prices in subscription mode.
  it('sells a tiered price in subscription mode, priced through its tiers', async () => {
    const product = await h.stripe.products.create({ name: 'Seats' });
    const price = await h.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      recurring: { interval: 'month' },
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      tiers: [
        { up_to: 5, unit_amount: 1000, flat_amount: 500 },
        { up_to: 'inf', unit_amount: 800 },
      ],
    });
    const session = await subscriptionSession({ line_items: [{ price: price.id, quantity: 7 }] });
    // 500 flat + 5 × 1000 in the first tier, 2 × 800 in the second.
    expect(session.amount_total).toBe(7100);
    expect((await openPage(session)).text).toContain('$71.00');
    expect((await submit(session, { email: 'seats@example.com', card: 'visa' })).status).toBe(303);
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(await h.stripe.invoices.retrieve(String(done.invoice))).toMatchObject({
      status: 'paid',
      amount_paid: 7100,
    });
  });

  it('starts a trial for a known customer without asking for an email', async () => {
    const customer = await h.stripe.customers.create({ email: 'known@example.com', name: 'Known' });
    const session = await subscriptionSession({
      customer: customer.id,
      subscription_data: { trial_period_days: 14, metadata: { source: 'checkout' } },
    });
    expect(session).toMatchObject({ amount_subtotal: 0, amount_total: 0 });
    const page = await openPage(session);
    expect(page.text).toContain('14 days free, then $20.00 per month');
    expect(page.text).toContain('known@example.com');
    expect(page.text).not.toContain('name="email"');
    expect(page.text).toContain('Start trial');

    expect((await submit(session, { card: 'mastercard' })).status).toBe(303);
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({
      status: 'complete',
      payment_status: 'no_payment_required',
      customer: customer.id,
    });
    const subscription = await h.stripe.subscriptions.retrieve(String(done.subscription));
    expect(subscription).toMatchObject({ status: 'trialing', metadata: { source: 'checkout' } });
    expect(subscription.trial_end! - subscription.trial_start!).toBe(14 * 86_400);
    expect((await h.stripe.customers.list()).data).toHaveLength(1);
  });

  it('asks again when no card or no valid email is given', async () => {
    const session = await subscriptionSession();
    const noCard = await submit(session, { email: 'x@example.com' });
    expect(noCard.status).toBe(400);
    expect(noCard.text).toContain('Choose a test card.');
    const badEmail = await submit(session, { email: 'not-an-email', card: 'visa' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.text).toContain('Enter a valid email address.');
    expect((await fetch(`${h.emulator.url}/c/pay/cs_test_missing`)).status).toBe(404);
  });

  it('charges one payment intent in payment mode, retried after a decline', async () => {
    const session = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: tShirt.id, quantity: 2 }],
      customer_email: 'buyer@example.com',
      success_url: 'https://shop.example/thanks',
    });
    expect(session).toMatchObject({ amount_total: 3000, customer_creation: 'if_required' });
    expect((await openPage(session)).text).toContain('Pay $30.00');

    const before = await latestEventId(h.stripe);
    const declined = await submit(session, { card: 'insufficient_funds' });
    expect(declined.status).toBe(402);
    expect(declined.text).toContain('Your card has insufficient funds.');
    const paid = await submit(session, { card: 'visa' });
    expect(paid.location).toBe('https://shop.example/thanks');

    const done = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    const intent = done.payment_intent as Stripe.PaymentIntent;
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', customer: null });
    expect(done.customer_details?.email).toBe('buyer@example.com');
    expect(intent).toMatchObject({ status: 'succeeded', amount: 3000, amount_received: 3000 });
    expect(await eventTypesSince(h.stripe, before)).toEqual([
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ]);
  });

  it('applies a coupon given at creation and a promotion code entered on the page', async () => {
    const quarter = await h.stripe.coupons.create({ percent_off: 25, duration: 'forever' });
    const withCoupon = await subscriptionSession({ discounts: [{ coupon: quarter.id }] });
    expect(withCoupon).toMatchObject({ amount_subtotal: 2000, amount_total: 1500 });
    expect(withCoupon.total_details?.amount_discount).toBe(500);

    const tenOff = await h.stripe.coupons.create({ amount_off: 1000, currency: 'usd', duration: 'once' });
    await h.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: tenOff.id },
      code: 'TENOFF',
    });
    const session = await subscriptionSession({ allow_promotion_codes: true });
    const invalid = await submit(session, { code: 'NOPE' }, '/promotion_code');
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('This code is invalid.');
    const applied = await submit(session, { code: 'tenoff' }, '/promotion_code');
    expect(applied).toMatchObject({ status: 303, location: `/c/pay/${session.id}` });
    const repriced = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(repriced).toMatchObject({ amount_total: 1000, total_details: { amount_discount: 1000 } });
    expect((await openPage(session)).text).toContain('Discount (TENOFF)');

    await submit(session, { email: 'promo@example.com', card: 'visa' });
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    const invoice = await h.stripe.invoices.retrieve(String(done.invoice));
    expect(invoice).toMatchObject({ subtotal: 2000, total: 1000, amount_paid: 1000 });
    const discount = (
      await h.stripe.subscriptions.retrieve(String(done.subscription), { expand: ['discounts'] })
    ).discounts[0] as Stripe.Discount | undefined;
    // A `once` coupon is spent on the first invoice; the invoice still names the discount.
    expect(discount).toBeUndefined();
    expect(invoice.discounts).toHaveLength(1);
  });
});

// https://docs.stripe.com/testing#authentication-and-setup: the page runs the issuer's challenge.
describe('cards that ask for 3D Secure on the Checkout page', () => {
  it('subscribes once the challenge is completed, and creates nothing when it fails', async () => {
    const session = await subscriptionSession();
    const fields = { email: 'sca@example.com', card: 'authentication_required' };
    const asked = await submit(session, fields);
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('3D Secure authentication');
    expect(asked.text).toContain('$20.00</strong> with Visa •••• 3184');
    expect(await h.stripe.subscriptions.list()).toMatchObject({ data: [] });

    const failed = await submit(session, { ...fields, outcome: 'fail' }, '/authenticate');
    expect(failed.status).toBe(402);
    expect(failed.text).toContain('We are unable to authenticate your payment method.');
    expect(await h.stripe.subscriptions.list()).toMatchObject({ data: [] });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');

    const since = await latestEventId(h.stripe);
    const done = await submit(session, { ...fields, outcome: 'complete' }, '/authenticate');
    expect(done).toMatchObject({
      status: 303,
      location: SUCCESS.replace('{CHECKOUT_SESSION_ID}', session.id),
    });
    const completed = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(completed).toMatchObject({ status: 'complete', payment_status: 'paid' });
    const subscription = await h.stripe.subscriptions.retrieve(String(completed.subscription));
    expect(subscription.status).toBe('active');
    expect(await h.stripe.invoices.retrieve(String(completed.invoice))).toMatchObject({
      status: 'paid',
      amount_paid: 2000,
    });
    const types = await eventTypesSince(h.stripe, since);
    expect(types).toEqual(expect.arrayContaining(['invoice.paid', 'checkout.session.completed']));
    expect(types).not.toContain('invoice.payment_action_required');
  });

  it('pays a one-off payment with 4000 0000 0000 3220 after the challenge', async () => {
    const session = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: tShirt.id, quantity: 1 }],
      success_url: SUCCESS,
    });
    const fields = { email: 'tee@example.com', card: 'three_d_secure_2' };
    expect((await submit(session, fields)).text).toContain('Visa •••• 3220');
    await submit(session, { ...fields, outcome: 'complete' }, '/authenticate');
    const completed = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(completed).toMatchObject({ status: 'complete', payment_status: 'paid' });
    expect(await h.stripe.paymentIntents.retrieve(String(completed.payment_intent))).toMatchObject({
      status: 'succeeded',
      amount_received: 1500,
    });
  });

  it('authenticates 3155 once at Checkout for later renewals, while 3184 asks again', async () => {
    for (const [card, renewed] of [
      ['authentication_on_setup', 'active'],
      ['authentication_required', 'past_due'],
    ] as const) {
      const start = Math.floor(Date.now() / 1000);
      const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: start });
      const customer = await h.stripe.customers.create({ email: 'clock@example.com', test_clock: clock.id });
      const session = await subscriptionSession({ customer: customer.id });
      await submit(session, { card, outcome: 'complete' }, '/authenticate');
      const done = await h.stripe.checkout.sessions.retrieve(session.id);
      const subscription = await h.stripe.subscriptions.retrieve(String(done.subscription));
      expect(subscription.status, card).toBe('active');
      await advanceClock(h.stripe, clock.id, subscription.items.data[0]!.current_period_end + 7_200);
      expect((await h.stripe.subscriptions.retrieve(subscription.id)).status, card).toBe(renewed);
    }
  });
});
