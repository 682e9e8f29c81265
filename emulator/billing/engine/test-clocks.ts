// Test clocks: frozen time for the customers (and so the subscriptions and invoices) created on
// them. Advancing answers at once with status `advancing`, like Stripe, then runs every billing
// step due up to the new time in order, outside the request, and ends `ready`.

import type Stripe from 'stripe';
import { invalidRequest } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { outsideRequest } from '../../core/request-context.js';
import type { Billing } from './context.js';
import { runDueWork } from './scheduler.js';

/** Stripe deletes test clocks 30 days after creation. */
const LIFETIME = 30 * 86_400;

export class TestClocks {
  /** While a clock advances, the instant its current step runs at. */
  private readonly stepTime = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly billing: Billing,
    private readonly onFailure: (error: unknown) => void,
  ) {
    billing.clock.useTestClocks(
      (id) => this.stepTime.get(id) ?? billing.data.testClocks.get(id)?.frozen_time,
    );
  }

  create(params: Stripe.TestHelpers.TestClockCreateParams): Stripe.TestHelpers.TestClock {
    const clock: Stripe.TestHelpers.TestClock = {
      id: newId('clock'),
      object: 'test_helpers.test_clock',
      created: this.billing.clock.now(),
      deletes_after: this.billing.clock.now() + LIFETIME,
      frozen_time: params.frozen_time,
      livemode: false,
      name: params.name ?? null,
      status: 'ready',
      status_details: {},
    };
    this.billing.data.testClocks.save(clock);
    this.billing.events.emit('test_helpers.test_clock.created', clock, { created: clock.created });
    return clock;
  }

  advance(clock: Stripe.TestHelpers.TestClock, frozenTime: number): Stripe.TestHelpers.TestClock {
    if (clock.status !== 'ready') {
      throw invalidRequest(
        'The test clock is already advancing. Wait for it to be ready before advancing again.',
        {
          code: 'test_clock_advancing',
        },
      );
    }
    if (frozenTime <= clock.frozen_time) {
      throw invalidRequest('The test clock can only be advanced forward in time.', { param: 'frozen_time' });
    }
    clock.status = 'advancing';
    clock.status_details = { advancing: { target_frozen_time: frozenTime } };
    this.billing.data.testClocks.save(clock);
    const now = this.billing.clock.now();
    this.billing.events.emit('test_helpers.test_clock.advancing', clock, { created: now });
    const answer = structuredClone(clock);
    const work = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      outsideRequest(() => this.run(clock.id, frozenTime)),
    );
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
    return answer;
  }

  /** Resolves when no clock is advancing (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  /** Runs the due work; a failure leaves the clock in Stripe's `internal_failure` status. */
  private run(clockId: string, frozenTime: number): void {
    let failed = false;
    try {
      runDueWork(this.billing, clockId, frozenTime, (at) => this.stepTime.set(clockId, at));
    } catch (error) {
      failed = true;
      this.onFailure(error);
    }
    this.stepTime.delete(clockId);
    const clock = this.billing.data.testClocks.get(clockId);
    if (!clock) return;
    clock.frozen_time = frozenTime;
    clock.status = failed ? 'internal_failure' : 'ready';
    clock.status_details = {};
    this.billing.data.testClocks.save(clock);
    const type = failed ? 'test_helpers.test_clock.internal_failure' : 'test_helpers.test_clock.ready';
    this.billing.events.emit(type, clock, { created: this.billing.clock.now() });
  }

  /** Deleting a clock deletes what lives on it, as Stripe does. */
  delete(clock: Stripe.TestHelpers.TestClock): {
    id: string;
    object: 'test_helpers.test_clock';
    deleted: true;
  } {
    const { data, catalog } = this.billing;
    const onClock = (o: { test_clock?: unknown }) => o.test_clock === clock.id;
    for (const s of data.subscriptions.filter(onClock)) data.subscriptions.delete(s.id);
    for (const i of data.invoices.filter(onClock)) data.invoices.delete(i.id);
    for (const s of data.schedules.filter(onClock)) data.schedules.delete(s.id);
    for (const c of catalog.customers.filter(onClock)) catalog.customers.delete(c.id);
    data.testClocks.delete(clock.id);
    this.billing.events.emit('test_helpers.test_clock.deleted', clock, { created: this.billing.clock.now() });
    return { id: clock.id, object: 'test_helpers.test_clock', deleted: true };
  }
}
