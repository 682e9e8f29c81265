import type Stripe from 'stripe';
import { atStripeTime } from './clock.js';
import { callStripe } from './errors.js';
import { idOf, isMetered, licensedItem } from './mapping.js';

/** A subscription as Stripe answered a write, and Stripe's clock for its customer at that moment. */
export interface StripeAnswer {
  subscription: Stripe.Subscription;
  /**
   * The second Stripe's events about this write carry: the test clock's time for a customer on a
   * test clock, else Stripe's own clock. The mirror stamps the row with it so that those events,
   * when they arrive, tie with it (and are checked against Stripe) instead of looking newer or older.
   */
  at: Date;
}

export interface ItemChange {
  itemId: string;
  price: string;
  quantity: number;
  /**
   * The metered (overage) prices the subscription carries after the change: a new plan's replace
   * the old plan's. Undefined: the metered items stay as they are (a quantity change).
   */
  meteredPrices?: string[] | undefined;
}

/** The `items` of an update making the change: the licensed item, and the metered swapped. */
export function changedItems(
  subscription: Stripe.Subscription,
  change: ItemChange,
): Stripe.SubscriptionUpdateParams.Item[] {
  const items: Stripe.SubscriptionUpdateParams.Item[] = [
    { id: change.itemId, price: change.price, quantity: change.quantity },
  ];
  const wanted = change.meteredPrices;
  if (wanted === undefined) return items;
  const metered = subscription.items.data.filter(isMetered);
  for (const item of metered) if (!wanted.includes(item.price.id)) items.push({ id: item.id, deleted: true });
  for (const price of wanted) if (!metered.some((i) => i.price.id === price)) items.push({ price });
  return items;
}

/** A schedule phase's items: the licensed price with its quantity, and metered prices without one. */
function phaseItems(price: string, quantity: number, metered: string[]) {
  return [{ price, quantity }, ...metered.map((p) => ({ price: p }))];
}

/** The Stripe half of managing subscriptions: reads, updates, cancellations, schedules, previews. */
export class StripeSubscriptions {
  constructor(private readonly stripe: Stripe) {}

  async retrieve(id: string): Promise<StripeAnswer> {
    return this.answer(await callStripe(() => this.stripe.subscriptions.retrieve(id)));
  }

  async update(id: string, params: Stripe.SubscriptionUpdateParams, idempotencyKey: string) {
    return this.answer(
      await callStripe(() => this.stripe.subscriptions.update(id, params, { idempotencyKey })),
    );
  }

  async cancel(id: string, params: Stripe.SubscriptionCancelParams, idempotencyKey: string) {
    return this.answer(
      await callStripe(() => this.stripe.subscriptions.cancel(id, params, { idempotencyKey })),
    );
  }

  /** A `paused` subscription starts a new period now and is invoiced for it. */
  async resumePaused(id: string, idempotencyKey: string) {
    return this.answer(await callStripe(() => this.stripe.subscriptions.resume(id, {}, { idempotencyKey })));
  }

  async create(params: Stripe.SubscriptionCreateParams, idempotencyKey: string) {
    return this.answer(await callStripe(() => this.stripe.subscriptions.create(params, { idempotencyKey })));
  }

  /** The invoice the subscription would get if `items` replaced its items at `prorationDate`. */
  previewChange(
    subscription: Stripe.Subscription,
    change: ItemChange,
    options: { prorationDate: number; prorationBehavior: 'always_invoice' | 'none'; tax: boolean },
  ): Promise<Stripe.Invoice> {
    return callStripe(() =>
      this.stripe.invoices.createPreview({
        subscription: subscription.id,
        ...(options.tax && { automatic_tax: { enabled: true } }),
        subscription_details: {
          items: changedItems(subscription, change),
          proration_behavior: options.prorationBehavior,
          proration_date: options.prorationDate,
        },
      }),
    );
  }

  /**
   * Puts the subscription on a schedule whose current phase runs to the period end and whose next
   * phase holds the new price for one of its own billing periods (`duration`, since `iterations`
   * was removed in 2025-09-30.clover:
   * https://docs.stripe.com/changelog/clover/2025-09-30/remove-iterations), after which the
   * schedule releases the subscription (it keeps the new price). The schedule's keys derive from
   * `idempotencyKey`.
   */
  async scheduleAtPeriodEnd(
    subscription: Stripe.Subscription,
    change: ItemChange,
    idempotencyKey: string,
  ): Promise<Stripe.SubscriptionSchedule> {
    const next = await callStripe(() => this.stripe.prices.retrieve(change.price));
    if (!next.recurring) throw new Error(`Price ${next.id} is not recurring; it cannot be scheduled`);
    const { interval, interval_count } = next.recurring;
    const schedule = await callStripe(() =>
      this.stripe.subscriptionSchedules.create(
        { from_subscription: subscription.id },
        { idempotencyKey: `${idempotencyKey}:create`.slice(0, 255) },
      ),
    );
    const current = schedule.phases[0]!;
    const item = licensedItem(subscription);
    const meteredNow = subscription.items.data.filter(isMetered).map((i) => i.price.id);
    return callStripe(() =>
      this.stripe.subscriptionSchedules.update(
        schedule.id,
        {
          end_behavior: 'release',
          phases: [
            {
              items: phaseItems(item.price.id, item.quantity ?? 1, meteredNow),
              start_date: current.start_date,
              end_date: current.end_date,
            },
            {
              items: phaseItems(change.price, change.quantity, change.meteredPrices ?? meteredNow),
              duration: { interval, interval_count },
            },
          ],
        },
        { idempotencyKey: `${idempotencyKey}:phases`.slice(0, 255) },
      ),
    );
  }

  releaseSchedule(scheduleId: string, idempotencyKey: string): Promise<Stripe.SubscriptionSchedule> {
    return callStripe(() => this.stripe.subscriptionSchedules.release(scheduleId, {}, { idempotencyKey }));
  }

  /** The payment method Stripe would charge for this customer, if any. */
  async defaultPaymentMethod(customerId: string): Promise<string | null> {
    const customer = await callStripe(() => this.stripe.customers.retrieve(customerId));
    if (customer.deleted) return null;
    return idOf(customer.invoice_settings?.default_payment_method);
  }

  private async answer(subscription: Stripe.Subscription): Promise<StripeAnswer> {
    const { object, at } = await atStripeTime(this.stripe, subscription, () =>
      callStripe(() => this.stripe.subscriptions.retrieve(subscription.id)),
    );
    return { subscription: object, at };
  }
}
