// Running a billing API call: first the work that fell due on the emulator's own clock for
// objects on no test clock, then the call itself, whose events are flushed in order even when it
// ends in a Stripe error (a declined payment still happened), then the work the call itself made
// due by now.

import { outsideRequest } from '../../core/request-context.js';
import type { Billing } from '../engine/context.js';
import { EventBatch } from '../engine/event-batch.js';
import { runDueWork } from '../engine/scheduler.js';

/** Background work, as Stripe's is: its events name no request. */
export function catchUp(billing: Billing): void {
  outsideRequest(() => runDueWork(billing, null, billing.clock.now()));
}

export function act<T>(billing: Billing, work: (batch: EventBatch) => T): T {
  catchUp(billing);
  const batch = new EventBatch(billing.events);
  try {
    return work(batch);
  } finally {
    batch.flush();
    // What the call made due at once (a trial shorter than the warning period is warned of at
    // its start) goes out now, as Stripe's background work would, not at some later request.
    catchUp(billing);
  }
}
