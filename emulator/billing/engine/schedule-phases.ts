// The phases of a subscription schedule, built from create and update parameters.

import type Stripe from 'stripe';
import { invalidRequest, parameterMissing } from '../../core/errors.js';
import { boundary } from '../domain/calendar.js';
import { planFromPrice } from '../objects/subscription-objects.js';
import type { Billing } from './context.js';
import { recurringPrice } from './prices.js';

/** What create and update both accept for a phase (update adds `start_date`). */
export interface PhaseParam {
  items: Array<{ price?: string; quantity?: number }>;
  start_date?: number | 'now';
  end_date?: number | 'now';
  duration?: { interval: Stripe.Price.Recurring.Interval; interval_count?: number };
  proration_behavior?: Stripe.SubscriptionSchedule.Phase.ProrationBehavior;
}

export function phase(
  billing: Billing,
  currency: string,
  items: Array<{ price: string; quantity?: number }>,
  start: number,
  end: number,
  prorationBehavior: Stripe.SubscriptionSchedule.Phase.ProrationBehavior,
  kept: string[] = [],
): Stripe.SubscriptionSchedule.Phase {
  return {
    add_invoice_items: [],
    application_fee_percent: null,
    billing_cycle_anchor: null,
    billing_thresholds: null,
    collection_method: null,
    currency,
    default_payment_method: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    end_date: end,
    invoice_settings: null,
    items: items.map((item, i) => {
      const price = recurringPrice(billing, item.price, `phases[items][${i}][price]`, kept);
      return {
        billing_thresholds: null,
        discounts: [],
        metadata: {},
        plan: planFromPrice(price).id,
        price: price.id,
        quantity: item.quantity ?? 1,
        tax_rates: [],
      };
    }),
    metadata: {},
    on_behalf_of: null,
    proration_behavior: prorationBehavior,
    start_date: start,
    transfer_data: null,
    trial_end: null,
  };
}

/**
 * Phases from parameters: each starts where the previous ends and lasts until its `end_date`, for
 * its `duration`, or else for one interval of its first price; `end_date` and `duration` exclude
 * each other (https://docs.stripe.com/api/subscription_schedules/update#update_subscription_schedule-phases-duration).
 */
export function phasesFrom(
  billing: Billing,
  params: PhaseParam[],
  start: number,
  currency: string,
  kept: string[] = [],
) {
  let cursor = start;
  return params.map((param, index) => {
    if (!param.items?.length) throw parameterMissing(`phases[${index}][items]`);
    const begin = typeof param.start_date === 'number' ? param.start_date : cursor;
    const price = recurringPrice(billing, param.items[0]!.price!, `phases[${index}][items][0][price]`, kept);
    if (param.duration && param.end_date !== undefined) {
      throw invalidRequest('You may only specify one of these parameters: duration, end_date.', {
        param: `phases[${index}][duration]`,
      });
    }
    const length = param.duration
      ? { interval: param.duration.interval, interval_count: param.duration.interval_count ?? 1 }
      : price.recurring!;
    const end = typeof param.end_date === 'number' ? param.end_date : boundary(begin, length, 1);
    cursor = end;
    const items = param.items.map((i) => ({
      price: i.price!,
      ...(i.quantity !== undefined && { quantity: i.quantity }),
    }));
    return phase(billing, currency, items, begin, end, param.proration_behavior ?? 'create_prorations', kept);
  });
}
