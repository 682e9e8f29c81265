/**
 * Webhook delivery. Each endpoint has its own queue, served one delivery at a time in the order
 * events were created, so an endpoint sees events in creation order. A failed delivery (non-2xx,
 * timeout, refused connection) goes back in the queue with exponential backoff, as Stripe retries
 * for days, only faster: `retryBaseMs · 2^(attempt-1)`, up to `maxAttempts`. Meanwhile later
 * events keep flowing, so a retried event arrives after newer ones, as it does from Stripe.
 *
 * Faults: a duplicate share queues some deliveries twice; a reorder window holds each delivery a
 * random time within the window, shuffling those that fall inside it.
 *
 * Every delivery not yet made is also a record in the store (`SAVED_DELIVERIES`), so with a
 * snapshot it outlives the process, as Stripe's pending deliveries outlive any downtime of the
 * receiver: a restarted emulator delivers what it still owed (`resumeSaved`).
 */
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import type { EventDispatcher, EventLog } from './events.js';
import type { Faults } from './faults.js';
import type { Logger } from './logger.js';
import { signPayload } from './signature.js';
import type { Collection, Store } from './store.js';

/** The store's collection of deliveries still owed; not a Stripe resource, so no API lists it. */
export const SAVED_DELIVERIES = '_webhook_delivery';

/** A delivery still owed, as kept in the store: its event, its endpoint, and the attempt due next. */
interface SavedDelivery {
  id: string;
  event: string;
  endpoint: string;
  attempt: number;
}

export interface WebhookTarget {
  id: string;
  url: string;
  secret: string;
  enabledEvents: readonly string[];
  enabled: boolean;
}

export interface WebhookTargets {
  /** Endpoints in creation order. */
  all(): WebhookTarget[];
  get(id: string): WebhookTarget | undefined;
}

export interface WebhookSettings {
  /** First retry delay; Stripe waits about an hour, the emulator defaults to 100 ms. */
  retryBaseMs: number;
  /** Deliveries attempted per event and endpoint before giving up. */
  maxAttempts: number;
  /** Stripe gives an endpoint a few seconds to answer. */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  retryBaseMs: 100,
  maxAttempts: 6,
  timeoutMs: 10_000,
};

interface Delivery {
  /** Its record in SAVED_DELIVERIES. */
  id: string;
  eventId: string;
  endpointId: string;
  attempt: number;
  dueAt: number;
  sequence: number;
}

interface EndpointQueue {
  pending: Delivery[];
  busy: boolean;
  timer: NodeJS.Timeout | null;
  /** A pump is already due on the next turn of the event loop. */
  wakeScheduled: boolean;
}

export class WebhookDispatcher implements EventDispatcher {
  private readonly queues = new Map<string, EndpointQueue>();
  private readonly succeeded = new Set<string>();
  private outstanding = 0;
  private sequence = 0;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;
  private readonly saved: Collection<SavedDelivery>;

  constructor(
    private readonly events: EventLog,
    private readonly targets: WebhookTargets,
    private readonly faults: Faults,
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
    store: Store,
  ) {
    this.saved = store.collection<SavedDelivery>(SAVED_DELIVERIES);
  }

  enqueue(event: Stripe.Event): number {
    if (this.stopped) return 0;
    let count = 0;
    for (const target of this.targets.all()) {
      if (!target.enabled || !matches(target.enabledEvents, event.type)) continue;
      count++;
      this.schedule(this.save(event.id, target.id, 1), 0);
      if (this.faults.shouldDuplicateWebhook()) this.schedule(this.save(event.id, target.id, 1), 0);
    }
    return count;
  }

  /**
   * Queues the deliveries a snapshot held (an earlier process owed them), each with a fresh round
   * of attempts: the receiver was down with the emulator, not refusing them.
   */
  resumeSaved(): number {
    const owed = this.saved.all().filter((d) => !this.queued(d.id));
    for (const d of owed) this.schedule(this.save(d.event, d.endpoint, 1, d.id), 0);
    return owed.length;
  }

  /** Deliveries queued, waiting for a retry, or in flight, right now. */
  get outstandingDeliveries(): number {
    return this.outstanding;
  }

  /** Resolves once nothing is queued, waiting for a retry, or in flight. */
  idle(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops every delivery, queued and owed (reset). In-flight requests finish but are not retried. */
  clear(): void {
    this.dropQueues();
    for (const d of this.saved.all()) this.saved.delete(d.id);
  }

  /**
   * Stops delivering (close). What is still owed stays in the store, for the snapshot; one in flight
   * finishes, and stays owed unless it succeeds (at least once, as Stripe delivers).
   */
  stop(): void {
    this.stopped = true;
    this.dropQueues();
  }

  private dropQueues(): void {
    for (const queue of this.queues.values()) {
      if (queue.timer) clearTimeout(queue.timer);
      this.outstanding -= queue.pending.length;
    }
    this.queues.clear();
    this.succeeded.clear();
    this.settle();
  }

  private save(event: string, endpoint: string, attempt: number, id: string = randomUUID()): SavedDelivery {
    return this.saved.save({ id, event, endpoint, attempt });
  }

  private queued(id: string): boolean {
    for (const queue of this.queues.values()) if (queue.pending.some((d) => d.id === id)) return true;
    return false;
  }

  private schedule(saved: SavedDelivery, delayMs: number): void {
    const { id, event: eventId, endpoint: endpointId, attempt } = saved;
    const queue = this.queueFor(endpointId);
    const dueAt = Date.now() + delayMs + this.faults.webhookHoldMs();
    const delivery = { id, eventId, endpointId, attempt, dueAt, sequence: ++this.sequence };
    const at = queue.pending.findIndex((d) => d.dueAt > dueAt);
    queue.pending.splice(at === -1 ? queue.pending.length : at, 0, delivery);
    this.outstanding++;
    // Delivery starts after the current API response has gone out, as Stripe's does.
    if (!queue.wakeScheduled) {
      queue.wakeScheduled = true;
      setImmediate(() => {
        queue.wakeScheduled = false;
        if (this.queues.get(endpointId) === queue) this.pump(endpointId);
      });
    }
  }

  private queueFor(endpointId: string): EndpointQueue {
    let queue = this.queues.get(endpointId);
    if (!queue) {
      queue = { pending: [], busy: false, timer: null, wakeScheduled: false };
      this.queues.set(endpointId, queue);
    }
    return queue;
  }

  private pump(endpointId: string): void {
    const queue = this.queues.get(endpointId);
    if (!queue || queue.busy) return;
    const next = queue.pending[0];
    if (!next) return;
    const wait = next.dueAt - Date.now();
    if (wait > 0) {
      if (queue.timer) clearTimeout(queue.timer);
      queue.timer = setTimeout(() => {
        queue.timer = null;
        this.pump(endpointId);
      }, wait);
      return;
    }
    queue.pending.shift();
    queue.busy = true;
    void this.deliver(next).finally(() => {
      queue.busy = false;
      this.outstanding--;
      this.settle();
      if (this.queues.get(endpointId) === queue) this.pump(endpointId);
    });
  }

  private settle(): void {
    if (this.outstanding > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const event = this.events.collection.get(delivery.eventId);
    const target = this.targets.get(delivery.endpointId);
    if (!event || !target?.enabled) {
      this.saved.delete(delivery.id);
      return;
    }
    const payload = JSON.stringify(event, null, 2);
    const timestamp = Math.floor(Date.now() / 1000);
    let failure: string | null = null;
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': signPayload(payload, target.secret, timestamp),
        },
        body: payload,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      await response.arrayBuffer();
      if (!response.ok) failure = `HTTP ${response.status}`;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (failure === null) {
      this.saved.delete(delivery.id);
      const key = `${delivery.eventId}:${delivery.endpointId}`;
      if (!this.succeeded.has(key)) {
        this.succeeded.add(key);
        this.events.delivered(delivery.eventId);
      }
      return;
    }
    if (this.stopped) return;
    if (delivery.attempt >= this.settings.maxAttempts) {
      this.saved.delete(delivery.id);
      this.logger.warn({ event: event.id, endpoint: target.id, failure }, 'webhook delivery abandoned');
      return;
    }
    const backoff = this.settings.retryBaseMs * 2 ** (delivery.attempt - 1);
    const next = this.save(delivery.eventId, delivery.endpointId, delivery.attempt + 1, delivery.id);
    this.schedule(next, backoff);
  }
}

function matches(enabledEvents: readonly string[], type: string): boolean {
  return enabledEvents.includes('*') || enabledEvents.includes(type);
}
