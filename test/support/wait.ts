import { sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Emulator } from '../../emulator/index.js';
import { queryRows } from '../../src/db/client.js';
import type { TestApp } from './app.js';

/** Polls `check` until it holds or `timeoutMs` passes; the last failure is rethrown. */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/**
 * The events the emulator emitted, as they are emitted: a count of all of them, which only grows,
 * and the ids of those it queued for a webhook endpoint since the last `forget()` (a reset).
 */
export class EmittedEvents {
  #count = 0;
  #forDelivery: string[] = [];
  /** Ids already seen in the inbox; an inbox row is never removed but by a reset. */
  readonly #received = new Set<string>();

  constructor(emulator: Emulator) {
    emulator.events.onEvent((event: Stripe.Event) => {
      this.#count++;
      if (event.pending_webhooks > 0) this.#forDelivery.push(event.id);
    });
  }

  get count(): number {
    return this.#count;
  }

  forget(): void {
    this.#forDelivery = [];
    this.#received.clear();
  }

  /** Ids queued for delivery that the inbox has not been seen to hold yet. */
  unseen(): string[] {
    return this.#forDelivery.filter((id) => !this.#received.has(id));
  }

  seen(ids: Iterable<string>): void {
    for (const id of ids) this.#received.add(id);
  }
}

interface Quiet {
  quiet: boolean;
  /** What still moves, for the timeout's message. */
  moving: string[];
}

/**
 * One look at everything that can still change the mirror, taken so that it cannot pass early.
 * The emulator's side is read before and after the inbox query: no delivery outstanding at both
 * ends and no event emitted between them means none was queued, in flight or retried while the
 * inbox was read, so the inbox's answer (nothing left to apply, every event sent to it received)
 * describes a moment at which nothing was moving anywhere. The worker makes its own Stripe writes
 * inside the transaction of the event that asks for them, so their events are emitted (and their
 * deliveries queued) before that event stops counting as unapplied.
 */
async function look(t: TestApp): Promise<Quiet> {
  const emulator = t.emulator;
  const emittedBefore = t.emitted.count;
  const outstandingBefore = emulator.webhooksOutstanding();
  const unseen = t.emitted.unseen();
  // One after the other: PGlite serves one statement at a time anyway.
  const unapplied = await queryRows<{
    external_id: string;
    type: string;
    status: string;
    last_error: string | null;
  }>(
    t.database.db,
    sql`select external_id, type, status, last_error from events
          where status in ('received', 'processing', 'failed') order by received_at limit 5`,
  );
  const received =
    unseen.length === 0
      ? []
      : await queryRows<{ external_id: string }>(
          t.database.db,
          sql`select external_id from events where source = 'stripe' and external_id in (${sql.join(
            unseen.map((id) => sql`${id}`),
            sql`, `,
          )})`,
        );
  t.emitted.seen(received.map((row) => row.external_id));
  const missing = t.emitted.unseen();
  const outstandingAfter = emulator.webhooksOutstanding();
  const emittedDuring = t.emitted.count - emittedBefore;
  const moving = [
    ...(outstandingBefore + outstandingAfter > 0
      ? [`${Math.max(outstandingBefore, outstandingAfter)} webhook deliveries outstanding`]
      : []),
    ...(emittedDuring > 0 ? [`${emittedDuring} events emitted during the look`] : []),
    ...unapplied.map(
      (e) => `inbox event ${e.external_id} (${e.type}) ${e.status}${e.last_error ? `: ${e.last_error}` : ''}`,
    ),
    ...(missing.length > 0 ? [`sent but not in the inbox: ${missing.join(', ')}`] : []),
  ];
  return { quiet: moving.length === 0, moving };
}

/**
 * Waits until everything the test set moving has come to rest: every event the emulator queued
 * for the app has been delivered and stored, nothing is queued or in flight, and the worker has
 * applied every event in the inbox, all at one moment (see `look`). The budget covers deliveries
 * and their application both, and ends before a test's own 30 s would, to say what still moved.
 */
export async function settled(t: TestApp, timeoutMs = 25_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { quiet, moving } = await look(t);
    if (quiet) return;
    if (Date.now() > deadline) throw new Error(`not settled after ${timeoutMs} ms: ${moving.join('; ')}`);
    // Whatever is moving is given a turn before the next look; a look, not this pause, decides.
    if (t.emulator.webhooksOutstanding() > 0) await pause(deadline - Date.now(), t.emulator.webhooksIdle());
    else await pause(10);
  }
}

/** Resolves after `ms`, or sooner when `sooner` does. */
async function pause(ms: number, sooner?: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, ms));
  });
  await (sooner ? Promise.race([elapsed, sooner]) : elapsed);
  clearTimeout(timer);
}
