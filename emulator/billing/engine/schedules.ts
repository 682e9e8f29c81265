// Subscription schedules: phases of items that take over a subscription one after another, most
// often to make a change at the end of the current period. A phase change is applied when the
// clock reaches the phase's end, just before the renewal due at the same instant, so the renewal
// invoice already bills the new phase.

import type Stripe from 'stripe';
import { invalidRequest, parameterMissing } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { initialMetadata, mergeMetadata } from '../../core/records.js';
import { cancelSubscription } from './cancellation.js';
import { type Billing, customerId, subscriptionBookkeeping } from './context.js';
import type { EventBatch } from './event-batch.js';
import { planItemChanges, prorationItems } from './item-changes.js';
import { recurringPrice } from './prices.js';
import { currentPeriod } from './renewal.js';
import { type PhaseParam, phase, phasesFrom } from './schedule-phases.js';
import type { DueStep } from './scheduler.js';
import { changeSubscription } from './subscription-changes-log.js';
import { createSubscription } from './subscription-create.js';

const EXPIRING_NOTICE = 7 * 86_400;

function newSchedule(input: {
  customer: string;
  created: number;
  testClock: string | null;
  phases: Stripe.SubscriptionSchedule.Phase[];
  endBehavior: Stripe.SubscriptionSchedule.EndBehavior;
  metadata: Stripe.Metadata;
}): Stripe.SubscriptionSchedule {
  return {
    id: newId('sub_sched'),
    object: 'subscription_schedule',
    application: null,
    billing_mode: {
      flexible: { proration_discounts: 'included' },
      type: 'flexible',
      updated_at: input.created,
    },
    canceled_at: null,
    completed_at: null,
    created: input.created,
    current_phase: null,
    customer: input.customer,
    customer_account: null,
    default_settings: {
      application_fee_percent: null,
      automatic_tax: { disabled_reason: null, enabled: false, liability: null },
      billing_cycle_anchor: 'automatic',
      billing_thresholds: null,
      collection_method: 'charge_automatically',
      default_payment_method: null,
      description: null,
      invoice_settings: {
        account_tax_ids: null,
        custom_fields: null,
        days_until_due: null,
        description: null,
        footer: null,
        issuer: { type: 'self' },
      },
      on_behalf_of: null,
      transfer_data: null,
    },
    end_behavior: input.endBehavior,
    livemode: false,
    metadata: input.metadata,
    pause_schedules: [],
    phases: input.phases,
    released_at: null,
    released_subscription: null,
    status: 'not_started',
    subscription: null,
    test_clock: input.testClock,
  };
}

function setCurrentPhase(schedule: Stripe.SubscriptionSchedule, at: number): void {
  const current = schedule.phases.find((p) => p.start_date <= at && at < p.end_date);
  schedule.current_phase = current ? { start_date: current.start_date, end_date: current.end_date } : null;
}

export function createSchedule(
  billing: Billing,
  batch: EventBatch,
  params: Stripe.SubscriptionScheduleCreateParams,
): Stripe.SubscriptionSchedule {
  if (params.from_subscription) {
    const subscription = billing.data.subscriptions.get(params.from_subscription);
    if (!subscription) {
      throw invalidRequest(`No such subscription: '${params.from_subscription}'`, {
        param: 'from_subscription',
        code: 'resource_missing',
      });
    }
    if (subscription.schedule) {
      throw invalidRequest(`Subscription ${subscription.id} is already attached to a schedule.`, {
        param: 'from_subscription',
      });
    }
    const at = billing.clock.nowForCustomer(customerId(subscription.customer));
    const period = currentPeriod(subscription);
    const items = subscription.items.data.map((i) => ({ price: i.price.id, quantity: i.quantity ?? 1 }));
    const schedule = newSchedule({
      customer: customerId(subscription.customer),
      created: at,
      testClock: subscription.test_clock as string | null,
      phases: [
        phase(
          billing,
          subscription.currency,
          items,
          period.start,
          period.end,
          'create_prorations',
          items.map((i) => i.price),
        ),
      ],
      endBehavior: 'release',
      metadata: {},
    });
    schedule.status = 'active';
    schedule.subscription = subscription.id;
    setCurrentPhase(schedule, at);
    billing.data.schedules.save(schedule);
    batch.record('subscription_schedule.created', schedule, at);
    changeSubscription(billing, batch, subscription, at, (sub) => {
      sub.schedule = schedule.id;
    });
    return schedule;
  }
  if (!params.customer) throw parameterMissing('customer');
  if (!params.phases?.length) throw parameterMissing('phases');
  const customer = billing.catalog.customer(params.customer, 'customer');
  const at = billing.clock.nowForCustomer(customer.id);
  const start = params.start_date === 'now' || params.start_date === undefined ? at : params.start_date;
  const firstPrice = recurringPrice(
    billing,
    params.phases[0]!.items[0]!.price!,
    'phases[0][items][0][price]',
  );
  const schedule = newSchedule({
    customer: customer.id,
    created: at,
    testClock: (customer.test_clock as string | null) ?? null,
    phases: phasesFrom(billing, params.phases as PhaseParam[], start, firstPrice.currency),
    endBehavior: params.end_behavior ?? 'release',
    metadata: initialMetadata(params.metadata as Record<string, string> | undefined),
  });
  billing.data.schedules.save(schedule);
  batch.record('subscription_schedule.created', schedule, at);
  if (start <= at) startSchedule(billing, batch, schedule, at);
  return schedule;
}

/** The schedule's start date has come: its subscription is created from the first phase. */
function startSchedule(
  billing: Billing,
  batch: EventBatch,
  schedule: Stripe.SubscriptionSchedule,
  at: number,
) {
  const first = schedule.phases[0]!;
  const subscription = createSubscription(billing, batch, {
    customer: customerId(schedule.customer),
    items: first.items.map((i) => ({ price: String(i.price), quantity: i.quantity ?? 1 })),
  });
  subscription.schedule = schedule.id;
  billing.data.subscriptions.save(subscription);
  schedule.status = 'active';
  schedule.subscription = subscription.id;
  setCurrentPhase(schedule, at);
  billing.data.schedules.save(schedule);
  batch.record('subscription_schedule.updated', schedule, at);
}

export function updateSchedule(
  billing: Billing,
  batch: EventBatch,
  schedule: Stripe.SubscriptionSchedule,
  params: Stripe.SubscriptionScheduleUpdateParams,
): Stripe.SubscriptionSchedule {
  if (schedule.status === 'canceled' || schedule.status === 'released' || schedule.status === 'completed') {
    throw invalidRequest(`You cannot update a subscription schedule that is ${schedule.status}.`, {
      code: 'subscription_schedule_not_updatable',
    });
  }
  const at = billing.clock.nowForCustomer(customerId(schedule.customer));
  if (params.phases) {
    const start = schedule.phases[0]?.start_date ?? at;
    const held = schedule.phases.flatMap((p) => p.items.map((i) => String(i.price)));
    schedule.phases = phasesFrom(
      billing,
      params.phases as PhaseParam[],
      start,
      schedule.phases[0]?.currency ?? 'usd',
      held,
    );
    setCurrentPhase(schedule, at);
  }
  if (params.end_behavior) schedule.end_behavior = params.end_behavior;
  if (params.metadata !== undefined) {
    schedule.metadata = mergeMetadata(
      schedule.metadata ?? {},
      params.metadata as Record<string, string> | null,
    );
  }
  billing.data.schedules.save(schedule);
  batch.record('subscription_schedule.updated', schedule, at);
  return schedule;
}

export function releaseSchedule(
  billing: Billing,
  batch: EventBatch,
  schedule: Stripe.SubscriptionSchedule,
  at: number,
): Stripe.SubscriptionSchedule {
  if (schedule.status !== 'active' && schedule.status !== 'not_started') {
    throw invalidRequest(`You cannot release a subscription schedule that is currently ${schedule.status}.`);
  }
  const subscription = schedule.subscription
    ? billing.data.subscriptions.get(String(schedule.subscription))
    : undefined;
  schedule.status = 'released';
  schedule.released_at = at;
  schedule.released_subscription = subscription?.id ?? null;
  schedule.subscription = null;
  schedule.current_phase = null;
  billing.data.schedules.save(schedule);
  batch.record('subscription_schedule.released', schedule, at);
  if (subscription) {
    changeSubscription(billing, batch, subscription, at, (sub) => {
      sub.schedule = null;
    });
  }
  return schedule;
}

export function cancelSchedule(
  billing: Billing,
  batch: EventBatch,
  schedule: Stripe.SubscriptionSchedule,
  params: Stripe.SubscriptionScheduleCancelParams,
): Stripe.SubscriptionSchedule {
  if (schedule.status !== 'active' && schedule.status !== 'not_started') {
    throw invalidRequest(`You cannot cancel a subscription schedule that is currently ${schedule.status}.`);
  }
  const at = billing.clock.nowForCustomer(customerId(schedule.customer));
  const subscription = schedule.subscription
    ? billing.data.subscriptions.get(String(schedule.subscription))
    : undefined;
  schedule.status = 'canceled';
  schedule.canceled_at = at;
  schedule.current_phase = null;
  billing.data.schedules.save(schedule);
  batch.record('subscription_schedule.canceled', schedule, at);
  if (subscription && subscription.status !== 'canceled') {
    cancelSubscription(billing, batch, subscription, {
      invoice_now: params.invoice_now ?? true,
      prorate: params.prorate ?? true,
    });
  }
  return schedule;
}

/** The end of the current phase: the next phase takes over, or the schedule ends. */
export function schedulePhaseEnd(
  billing: Billing,
  batch: EventBatch,
  schedule: Stripe.SubscriptionSchedule,
  at: number,
) {
  const subscription = schedule.subscription
    ? billing.data.subscriptions.get(String(schedule.subscription))
    : undefined;
  const next = schedule.phases.find((p) => p.start_date >= at);
  if (!subscription) return;
  if (next) {
    const params = [
      ...subscription.items.data.map((i) => ({ id: i.id, deleted: true as const })),
      ...next.items.map((i) => ({ price: String(i.price), quantity: i.quantity ?? 1 })),
    ];
    const plan = planItemChanges(billing, subscription, params, at);
    if (next.proration_behavior !== 'none') {
      for (const item of prorationItems(billing, subscription, plan, at))
        billing.data.invoiceItems.save(item);
    }
    changeSubscription(billing, batch, subscription, at, (sub) => {
      sub.items.data = plan.items;
    });
    setCurrentPhase(schedule, at);
    billing.data.schedules.save(schedule);
    batch.record('subscription_schedule.updated', schedule, at);
    return;
  }
  if (schedule.end_behavior === 'cancel') {
    schedule.status = 'completed';
    schedule.completed_at = at;
    schedule.current_phase = null;
    billing.data.schedules.save(schedule);
    batch.record('subscription_schedule.completed', schedule, at);
    cancelSubscription(billing, batch, subscription, {});
    return;
  }
  releaseSchedule(billing, batch, schedule, at);
}

/**
 * `subscription_schedule.expiring` goes out 7 days before a schedule that ends (released or
 * canceled with its subscription) reaches the end of its last phase, as the pinned SDK's event
 * type documents ("Occurs 7 days before a subscription schedule will expire").
 */
function expiringStep(billing: Billing, schedule: Stripe.SubscriptionSchedule): DueStep[] {
  const subscriptionId = schedule.subscription ? String(schedule.subscription) : null;
  const end = schedule.phases.at(-1)?.end_date;
  if (!subscriptionId || end === undefined) return [];
  if (schedule.end_behavior !== 'release' && schedule.end_behavior !== 'cancel') return [];
  const book = subscriptionBookkeeping(billing, subscriptionId);
  if (book.scheduleExpiringSentFor === end) return [];
  const at = Math.max(schedule.created, end - EXPIRING_NOTICE);
  return [
    {
      at,
      order: 1,
      run: (batch) => {
        billing.data.subscriptionBookkeeping.save({ ...book, scheduleExpiringSentFor: end });
        batch.record('subscription_schedule.expiring', schedule, at);
      },
    },
  ];
}

export function scheduleStepsDue(billing: Billing, testClock: string | null): DueStep[] {
  return billing.data.schedules
    .filter((s) => (s.test_clock ?? null) === testClock)
    .flatMap((schedule): DueStep[] => {
      if (schedule.status === 'not_started') {
        const at = schedule.phases[0]!.start_date;
        return [{ at, order: 2, run: (batch) => startSchedule(billing, batch, schedule, at) }];
      }
      if (schedule.status !== 'active' || !schedule.current_phase) return [];
      const at = schedule.current_phase.end_date;
      return [
        { at, order: 2, run: (batch) => schedulePhaseEnd(billing, batch, schedule, at) },
        ...expiringStep(billing, schedule),
      ];
    });
}
