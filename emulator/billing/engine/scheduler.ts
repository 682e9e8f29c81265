// Time-driven billing: everything that falls due as time passes, found from the state itself
// (no job queue to keep in step with it), run one step at a time in time order. A test clock's
// advance runs the steps of its objects up to the new frozen time; objects on no test clock run
// when `runDueWork` is called with the emulator's time (see README: on each billing request).

import type Stripe from 'stripe';
import { attemptInvoicePayment } from './collection.js';
import { type Billing, subscriptionBookkeeping } from './context.js';
import { EventBatch } from './event-batch.js';
import { upcomingInvoice } from './preview.js';
import {
  currentPeriod,
  endTrial,
  expireIncomplete,
  finalizeDueInvoice,
  renewSubscription,
} from './renewal.js';
import { scheduleStepsDue } from './schedules.js';
import { changeSubscription } from './subscription-changes-log.js';

const DAY = 86_400;

export interface DueStep {
  at: number;
  /** Lower runs first among steps due at the same instant. */
  order: number;
  run(batch: EventBatch): void;
}

function subscriptionSteps(billing: Billing, subscription: Stripe.Subscription): DueStep[] {
  const { settings } = billing;
  const steps: DueStep[] = [];
  const book = subscriptionBookkeeping(billing, subscription.id);
  const remember = (change: Partial<typeof book>) =>
    billing.data.subscriptionBookkeeping.save({
      ...subscriptionBookkeeping(billing, subscription.id),
      ...change,
    });

  if (subscription.status === 'incomplete') {
    steps.push({
      at: subscription.created + settings.incompleteExpiry,
      order: 5,
      run: (batch) =>
        expireIncomplete(billing, batch, subscription, subscription.created + settings.incompleteExpiry),
    });
    return steps;
  }
  if (!['trialing', 'active', 'past_due', 'unpaid'].includes(subscription.status)) return steps;

  const periodEnd = currentPeriod(subscription).end;
  const renews = subscription.cancel_at === null || subscription.cancel_at > periodEnd;
  if (subscription.status === 'trialing' && subscription.trial_end !== null) {
    const trialEnd = subscription.trial_end;
    if (book.trialWillEndSentFor !== trialEnd) {
      const at = Math.max(subscription.created, trialEnd - settings.trialWillEndDays * DAY);
      steps.push({
        at,
        order: 1,
        run: (batch) => {
          remember({ trialWillEndSentFor: trialEnd });
          batch.record('customer.subscription.trial_will_end', subscription, at);
        },
      });
    }
    steps.push({ at: trialEnd, order: 3, run: (batch) => endTrial(billing, batch, subscription, trialEnd) });
  } else {
    if (subscription.cancel_at !== null && subscription.cancel_at < periodEnd) {
      const at = subscription.cancel_at;
      steps.push({ at, order: 3, run: (batch) => renewSubscription(billing, batch, subscription, at) });
    }
    steps.push({
      at: periodEnd,
      order: 3,
      run: (batch) => renewSubscription(billing, batch, subscription, periodEnd),
    });
  }
  const upcomingAt = periodEnd - settings.upcomingInvoiceDays * DAY;
  if (renews && book.upcomingSentFor !== periodEnd && upcomingAt > subscription.created) {
    steps.push({
      at: upcomingAt,
      order: 2,
      run: (batch) => {
        remember({ upcomingSentFor: periodEnd });
        batch.record('invoice.upcoming', upcomingInvoice(billing, subscription), upcomingAt);
      },
    });
  }
  const resumesAt = subscription.pause_collection?.resumes_at;
  if (resumesAt) {
    steps.push({
      at: resumesAt,
      order: 0,
      run: (batch) =>
        changeSubscription(billing, batch, subscription, resumesAt, (sub) => {
          sub.pause_collection = null;
        }),
    });
  }
  return steps;
}

function invoiceSteps(billing: Billing, invoice: Stripe.Invoice): DueStep[] {
  if (invoice.status === 'draft' && invoice.automatically_finalizes_at !== null && invoice.auto_advance) {
    const at = invoice.automatically_finalizes_at;
    return [{ at, order: 4, run: (batch) => finalizeDueInvoice(billing, batch, invoice, at) }];
  }
  if (invoice.status === 'open' && invoice.next_payment_attempt !== null && invoice.auto_advance) {
    const at = invoice.next_payment_attempt;
    return [{ at, order: 4, run: (batch) => attemptInvoicePayment(billing, batch, invoice, at) }];
  }
  return [];
}

/** The earliest step due at or before `until` among the objects on `testClock` (null: none). */
export function nextDueStep(billing: Billing, testClock: string | null, until: number): DueStep | null {
  const onClock = (o: { test_clock: unknown }) => (o.test_clock ?? null) === testClock;
  const steps = [
    ...billing.data.subscriptions.filter(onClock).flatMap((s) => subscriptionSteps(billing, s)),
    ...billing.data.invoices.filter(onClock).flatMap((i) => invoiceSteps(billing, i)),
    ...scheduleStepsDue(billing, testClock),
  ].filter((step) => step.at <= until);
  steps.sort((a, b) => a.at - b.at || a.order - b.order);
  return steps[0] ?? null;
}

/** A runaway guard: no legitimate advance needs more steps than this. */
const MAX_STEPS = 10_000;

/** Runs every step due up to `until`, in order, each flushing its own events. */
export function runDueWork(
  billing: Billing,
  testClock: string | null,
  until: number,
  beforeStep?: (at: number) => void,
) {
  for (let count = 0; count < MAX_STEPS; count++) {
    const step = nextDueStep(billing, testClock, until);
    if (!step) return;
    beforeStep?.(step.at);
    const batch = new EventBatch(billing.events);
    step.run(batch);
    batch.flush();
  }
  throw new Error(`Billing work did not settle after ${MAX_STEPS} steps`);
}
