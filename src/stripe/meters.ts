import Stripe from 'stripe';
import type { PriceTier } from '../db/schema/plans.js';
import { PLAN_ID_METADATA, priceAmount } from './catalog.js';
import { callStripe, translateStripeError } from './errors.js';

/** Metadata naming the usage feature a meter or a metered price bills. */
export const FEATURE_METADATA = 'recur_feature';
/** The meter event payload's keys: Stripe's defaults, spelled out. */
const CUSTOMER_KEY = 'stripe_customer_id';
const VALUE_KEY = 'value';

export interface MeteredPriceSpec {
  planId: string;
  productId: string;
  feature: string;
  meterId: string;
  currency: string;
  interval: 'day' | 'week' | 'month' | 'year';
  intervalCount: number;
  unitAmount: number | null;
  tiersMode: 'graduated' | 'volume' | null;
  tiers: PriceTier[] | null;
}

export interface MeterEventSpec {
  eventName: string;
  /** Stripe deduplicates meter events by identifier: a resend of the same report counts once. */
  identifier: string;
  customerId: string;
  value: number;
  timestamp: Date;
}

/**
 * Billing Meters, metered prices and meter events: how usage beyond a limit is billed. A meter sums
 * the `value` of its events per customer; a price with `recurring.usage_type=metered` and
 * `recurring.meter` charges that sum on the invoice of the period the events fall in
 * (https://docs.stripe.com/billing/subscriptions/usage-based/meters/configure).
 */
export class StripeMeters {
  constructor(private readonly stripe: Stripe) {}

  createMeter(feature: string, eventName: string, idempotencyKey: string): Promise<Stripe.Billing.Meter> {
    return callStripe(() =>
      this.stripe.billing.meters.create(
        {
          display_name: `Recur ${feature}`.slice(0, 250),
          event_name: eventName,
          default_aggregation: { formula: 'sum' },
          customer_mapping: { type: 'by_id', event_payload_key: CUSTOMER_KEY },
          value_settings: { event_payload_key: VALUE_KEY },
        },
        { idempotencyKey },
      ),
    );
  }

  /** An active meter with this event name, when one was made before (e.g. by a lost write). */
  findMeter(eventName: string): Promise<Stripe.Billing.Meter | null> {
    return callStripe(async () => {
      for await (const meter of this.stripe.billing.meters.list({ status: 'active', limit: 100 })) {
        if (meter.event_name === eventName) return meter;
      }
      return null;
    });
  }

  createMeteredPrice(spec: MeteredPriceSpec, idempotencyKey: string): Promise<Stripe.Price> {
    const amount = priceAmount(spec);
    return callStripe(() =>
      this.stripe.prices.create(
        {
          product: spec.productId,
          currency: spec.currency,
          recurring: {
            interval: spec.interval,
            interval_count: spec.intervalCount,
            usage_type: 'metered',
            meter: spec.meterId,
          },
          ...amount,
          metadata: { [PLAN_ID_METADATA]: spec.planId, [FEATURE_METADATA]: spec.feature },
        },
        { idempotencyKey },
      ),
    );
  }

  archivePrice(priceId: string, idempotencyKey: string): Promise<Stripe.Price> {
    return callStripe(() => this.stripe.prices.update(priceId, { active: false }, { idempotencyKey }));
  }

  /**
   * Sends one meter event; `duplicate` when Stripe already has an event with its identifier (a
   * resend after a crash): Stripe refuses the repeat with a 400 naming the identifier and keeps
   * the first (https://docs.stripe.com/api/billing/meter-event/create).
   */
  async sendEvent(event: MeterEventSpec): Promise<'sent' | 'duplicate'> {
    try {
      await this.stripe.billing.meterEvents.create(
        {
          event_name: event.eventName,
          identifier: event.identifier,
          timestamp: Math.floor(event.timestamp.getTime() / 1000),
          payload: { [CUSTOMER_KEY]: event.customerId, [VALUE_KEY]: String(event.value) },
        },
        // The SDK's own retries replay the first answer rather than meet the identifier again.
        { idempotencyKey: `recur:meter-event:${event.identifier}` },
      );
      return 'sent';
    } catch (error) {
      if (
        error instanceof Stripe.errors.StripeInvalidRequestError &&
        /already exists with identifier/i.test(error.message)
      ) {
        return 'duplicate';
      }
      throw translateStripeError(error);
    }
  }

  /** The meter's total for a customer over [start, end): both on minute boundaries, as Stripe asks. */
  summedValue(meterId: string, customerId: string, start: Date, end: Date): Promise<number> {
    return callStripe(async () => {
      let total = 0;
      for await (const summary of this.stripe.billing.meters.listEventSummaries(meterId, {
        customer: customerId,
        start_time: Math.floor(start.getTime() / 60_000) * 60,
        end_time: Math.ceil(end.getTime() / 60_000) * 60,
        limit: 100,
      })) {
        total += summary.aggregated_value;
      }
      return total;
    });
  }
}
