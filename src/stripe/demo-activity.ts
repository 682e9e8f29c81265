import type Stripe from 'stripe';
import { callStripe } from './errors.js';
import { licensedItem, USER_ID_METADATA } from './mapping.js';

/** Metadata that marks a customer as made by `recur demo`, with the run that made it. */
export const DEMO_METADATA = 'recur_demo';

/** Stripe's test cards: one that pays, one that attaches but declines every charge. */
export const DEMO_CARDS = { pays: 'pm_card_visa', declines: 'pm_card_chargeCustomerFail' } as const;

export interface DemoCustomer {
  testClock: string;
  userId: string;
  email: string;
  name: string;
  runId: string;
  /** Without a card the customer can only start a trial, which ends unpaid. */
  withCard: boolean;
}

export interface DemoSubscription {
  customer: string;
  price: string;
  trialDays?: number;
}

/** What the demo needs to know of a subscription to plan its next step. */
export interface SubscriptionState {
  id: string;
  status: Stripe.Subscription.Status;
  itemId: string;
  periodEnd: number;
  latestInvoice: string | null;
}

const POLL_MS = 10;

/**
 * What a merchant's customers do in Stripe during `recur demo` (sign up, change card, change plan,
 * cancel), on test clocks that carry them through past months. Every write has the caller's key.
 */
export class StripeDemoActivity {
  constructor(private readonly stripe: Stripe) {}

  async createClock(frozenTime: number, name: string, key: string): Promise<string> {
    const clock = await callStripe(() =>
      this.stripe.testHelpers.testClocks.create({ frozen_time: frozenTime, name }, { idempotencyKey: key }),
    );
    return clock.id;
  }

  /** Moves a test clock forward and waits until Stripe has run everything due on it. */
  async advanceClock(clock: string, to: number, key: string): Promise<void> {
    await callStripe(() =>
      this.stripe.testHelpers.testClocks.advance(clock, { frozen_time: to }, { idempotencyKey: key }),
    );
    for (;;) {
      const current = await callStripe(() => this.stripe.testHelpers.testClocks.retrieve(clock));
      if (current.status === 'ready') return;
      if (current.status === 'internal_failure')
        throw new Error(`Test clock ${clock} failed while advancing`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async createCustomer(customer: DemoCustomer, key: string): Promise<string> {
    const card = customer.withCard ? DEMO_CARDS.pays : undefined;
    const created = await callStripe(() =>
      this.stripe.customers.create(
        {
          email: customer.email,
          name: customer.name,
          test_clock: customer.testClock,
          metadata: { [USER_ID_METADATA]: customer.userId, [DEMO_METADATA]: customer.runId },
          ...(card && { payment_method: card, invoice_settings: { default_payment_method: card } }),
        },
        { idempotencyKey: key },
      ),
    );
    return created.id;
  }

  /**
   * Subscribes as Checkout would, charging the customer's default card. A trial without a card
   * ends the subscription when it runs out, as a trial that was never converted.
   */
  async subscribe(sub: DemoSubscription, key: string): Promise<SubscriptionState> {
    const created = await callStripe(() =>
      this.stripe.subscriptions.create(
        {
          customer: sub.customer,
          items: [{ price: sub.price }],
          ...(sub.trialDays && {
            trial_period_days: sub.trialDays,
            trial_settings: { end_behavior: { missing_payment_method: 'cancel' } },
          }),
        },
        { idempotencyKey: key },
      ),
    );
    return stateOf(created);
  }

  async subscription(id: string): Promise<SubscriptionState> {
    return stateOf(await callStripe(() => this.stripe.subscriptions.retrieve(id)));
  }

  /** A new default card, as the customer enters it in the billing portal. */
  async switchCard(customer: string, card: string, key: string): Promise<void> {
    const method = await callStripe(() =>
      this.stripe.paymentMethods.attach(card, { customer }, { idempotencyKey: `${key}:attach` }),
    );
    await callStripe(() =>
      this.stripe.customers.update(
        customer,
        { invoice_settings: { default_payment_method: method.id } },
        { idempotencyKey: `${key}:default` },
      ),
    );
  }

  /** A plan change in the billing portal: the difference is prorated onto the next invoice. */
  async changePrice(sub: SubscriptionState, price: string, key: string): Promise<void> {
    await callStripe(() =>
      this.stripe.subscriptions.update(
        sub.id,
        { items: [{ id: sub.itemId, price }], proration_behavior: 'create_prorations' },
        { idempotencyKey: key },
      ),
    );
  }

  async cancel(subscription: string, atPeriodEnd: boolean, key: string): Promise<void> {
    const feedback = { cancellation_details: { feedback: 'too_expensive' as const } };
    await callStripe(() =>
      atPeriodEnd
        ? this.stripe.subscriptions.update(
            subscription,
            { cancel_at_period_end: true, ...feedback },
            { idempotencyKey: key },
          )
        : this.stripe.subscriptions.cancel(subscription, feedback, { idempotencyKey: key }),
    );
  }

  /** The newest event's id, if any: where a later `eventIdsSince` stops. */
  async newestEventId(): Promise<string | null> {
    const page = await callStripe(() => this.stripe.events.list({ limit: 1 }));
    return page.data[0]?.id ?? null;
  }

  /** Ids of the events made after `since` (all of them when null), newest first. */
  async eventIdsSince(since: string | null): Promise<string[]> {
    const ids: string[] = [];
    for await (const event of this.stripe.events.list({ limit: 100 })) {
      if (event.id === since) break;
      ids.push(event.id);
    }
    return ids;
  }
}

function stateOf(sub: Stripe.Subscription): SubscriptionState {
  const item = licensedItem(sub);
  const latest = sub.latest_invoice;
  return {
    id: sub.id,
    status: sub.status,
    itemId: item.id,
    periodEnd: item.current_period_end,
    latestInvoice: typeof latest === 'string' ? latest : (latest?.id ?? null),
  };
}
