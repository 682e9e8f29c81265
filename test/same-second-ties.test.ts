import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStripeClient, type Stripe } from '../src/stripe/index.js';
import { StripeObjects } from '../src/stripe/objects.js';
import { startTestApp, type TestApp } from './support/app.js';
import { truncateAll } from './support/db.js';
import { expectMirrorEqualsStripe, mirrorRows } from './support/mirror.js';
import { seededShuffle } from './support/shuffle.js';
import { settled } from './support/wait.js';

/**
 * Stripe stamps events in whole seconds, and a first payment (the invoice created, finalised and
 * paid, its payment intent and charge) happens within one. Such ties are settled by the objects'
 * lifecycles where those tell (a paid invoice comes after the open one), and by Stripe only where
 * they do not: every read from Stripe is a round trip inside the worker's transaction.
 */
let t: TestApp;
let stripe: Stripe;
let events: Stripe.Event[];
let second: number;

beforeAll(async () => {
  t = await startTestApp();
  stripe = createStripeClient({ secretKey: 'sk_test_ties', apiBase: t.emulator.url });
  const product = await stripe.products.create({ name: 'Team' });
  const price = await stripe.prices.create({
    product: product.id,
    currency: 'eur',
    unit_amount: 4900,
    recurring: { interval: 'month' },
  });
  const customer = await stripe.customers.create({
    email: 'ties@example.com',
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
  await t.emulator.webhooksIdle();
  await settled(t);
  const made: Stripe.Event[] = [];
  for await (const event of stripe.events.list({ limit: 100 })) made.push(event);
  // All in the last event's second, as Stripe may well send them: every later snapshot is a tie.
  second = Math.max(...made.map((e) => e.created));
  events = made.reverse().map((event) => ({ ...event, created: second }));
});
afterAll(() => t.close());
afterEach(() => vi.restoreAllMocks());

/** Replays `order` into an empty mirror; answers which objects the worker read from Stripe. */
async function replay(order: Stripe.Event[]): Promise<string[]> {
  await truncateAll(t.database);
  const reads = vi.spyOn(StripeObjects.prototype, 'retrieve');
  for (const event of order) {
    const { id, duplicate } = await t.services.inbox.ingestStripe(event);
    if (!duplicate) expect(['processed', 'ignored']).toContain(await t.services.worker.process(id));
  }
  return reads.mock.calls.map(([object]) => object);
}

describe('same-second snapshots', () => {
  it('are a first payment: the invoice in three statuses, the payment intent in two', () => {
    const statuses = (object: string) =>
      events
        .filter((e) => e.data.object.object === object)
        .map((e) => ('status' in e.data.object ? e.data.object.status : null));
    expect(new Set(statuses('invoice'))).toEqual(new Set(['draft', 'open', 'paid']));
    expect(new Set(statuses('payment_intent'))).toEqual(new Set(['requires_payment_method', 'succeeded']));
    expect(events.some((e) => e.type === 'invoice_payment.paid')).toBe(true);
  });

  it.each([
    ['in order', () => events],
    ['reversed', () => [...events].reverse()],
    ['shuffled (seed 3)', () => seededShuffle(events, 3)],
    ['shuffled (seed 11)', () => seededShuffle(events, 11)],
    ['each twice, shuffled', () => seededShuffle([...events, ...events], 5)],
  ])('%s: end equal to Stripe, the payment and charge never read again', async (_name, order) => {
    const sent = order();
    const reads = await replay(sent);
    await expectMirrorEqualsStripe(t.database.db, t.services.cipher, stripe);
    expect(reads.filter((object) => ['payment_intent', 'charge'].includes(object))).toEqual([]);
    // The invoice only when its payment comes first: that says the invoice changed, and how is
    // learnt from Stripe; once the mirror holds it paid, nothing is left to learn.
    const first = (type: string) => sent.findIndex((e) => e.type === type);
    const paidLater =
      first('invoice_payment.paid') < Math.min(first('invoice.paid'), first('invoice.payment_succeeded'));
    expect(reads.filter((object) => object === 'invoice')).toEqual(paidLater ? ['invoice'] : []);
    const [invoice] = await mirrorRows(t.database.db, 'invoices');
    expect(invoice!.status).toBe('paid');
  });

  it('still reads Stripe when two snapshots of one second and one status differ', async () => {
    const finalized = events.find((e) => e.type === 'invoice.finalized')!;
    const invoice = finalized.data.object as Stripe.Invoice;
    // Another open snapshot of that second: the lifecycle cannot tell which is the later one.
    const other: Stripe.Event = {
      ...finalized,
      id: `${finalized.id}_other`,
      type: 'invoice.updated',
      data: { object: { ...invoice, attempt_count: invoice.attempt_count + 7 } },
    };
    // Neither the invoice's later snapshots nor its payment's (which would also read it) are sent.
    const before = events.filter(
      (e) => !['invoice', 'invoice_payment'].includes(e.data.object.object) || e.type === 'invoice.created',
    );
    const reads = await replay([...before, finalized, other]);
    expect(reads.filter((object) => object === 'invoice')).toEqual(['invoice']);
    // Stripe's answer wins: the invoice as it is now, paid, with its own attempt count.
    const live = await stripe.invoices.retrieve(invoice.id!);
    const [row] = await mirrorRows(t.database.db, 'invoices');
    expect(row!.status).toBe('paid');
    expect(row!.attempt_count).toBe(live.attempt_count);
    expect(live.attempt_count).not.toBe(invoice.attempt_count + 7);
  });
});
