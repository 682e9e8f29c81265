/**
 * The event log. `emit` records a Stripe `event` (a snapshot of the object as it is now, the
 * request that caused it, `previous_attributes` for updates) and hands it to the webhook
 * dispatcher, whose answer (how many endpoints want it) becomes `pending_webhooks`.
 */
import type Stripe from 'stripe';
import type { Clock } from './clock.js';
import { newId } from './ids.js';
import { currentRequest } from './request-context.js';
import type { Collection, Store } from './store.js';

/** Stripe keeps events for 30 days. */
export const EVENT_RETENTION_SECONDS = 30 * 24 * 60 * 60;
const PRUNE_EVERY = 1000;

export interface EmitOptions {
  /** Old values of the changed fields, for `*.updated` events. */
  previousAttributes?: Record<string, unknown>;
  /** Defaults to the object's own time (its customer's test clock, if any). */
  created?: number;
}

export interface EventDispatcher {
  /** Queues deliveries of `event` and returns how many endpoints will receive it. */
  enqueue(event: Stripe.Event): number;
}

export class EventLog {
  private dispatcher: EventDispatcher = { enqueue: () => 0 };
  private readonly listeners = new Set<(event: Stripe.Event) => void>();
  private emitted = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly apiVersion: string,
  ) {}

  get collection(): Collection<Stripe.Event> {
    return this.store.collection<Stripe.Event>('event');
  }

  /** Emulator time at which each event was recorded (kept beside the events, like their data). */
  private get recordedAt(): Collection<{ id: string; at: number }> {
    return this.store.collection<{ id: string; at: number }>('event_recorded_at');
  }

  useDispatcher(dispatcher: EventDispatcher): void {
    this.dispatcher = dispatcher;
  }

  /** Called synchronously after every emitted event (tests, logging). */
  onEvent(listener: (event: Stripe.Event) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<T extends { object: string }>(type: string, object: T, options: EmitOptions = {}): Stripe.Event {
    const request = currentRequest();
    const data: Record<string, unknown> = { object: structuredClone(object) };
    if (options.previousAttributes) data.previous_attributes = structuredClone(options.previousAttributes);
    const event = {
      id: newId('evt'),
      object: 'event',
      api_version: this.apiVersion,
      created: options.created ?? this.clock.nowForObject(object),
      data,
      livemode: false,
      pending_webhooks: 0,
      request: { id: request?.id ?? null, idempotency_key: request?.idempotencyKey ?? null },
      type,
    } as unknown as Stripe.Event;
    this.collection.save(event);
    this.recordedAt.save({ id: event.id, at: this.clock.now() });
    event.pending_webhooks = this.dispatcher.enqueue(event);
    this.collection.save(event);
    for (const listener of this.listeners) listener(event);
    if (++this.emitted % PRUNE_EVERY === 0) this.pruneExpired();
    return event;
  }

  /** Drops events past the retention window, so a long-running emulator does not grow forever. */
  pruneExpired(): void {
    for (const event of this.collection.filter((e) => !this.isRetained(e))) {
      this.collection.delete(event.id);
      this.recordedAt.delete(event.id);
    }
  }

  /**
   * Events still inside Stripe's 30-day window, counted from when they were recorded: an event of
   * an object on a test clock carries the clock's time, which can be months off the emulator's.
   */
  isRetained(event: Stripe.Event): boolean {
    const recordedAt = this.recordedAt.get(event.id)?.at ?? event.created;
    return recordedAt >= this.clock.now() - EVENT_RETENTION_SECONDS;
  }

  /** Marks one endpoint's successful delivery. */
  delivered(eventId: string): void {
    const event = this.collection.get(eventId);
    if (event && event.pending_webhooks > 0) {
      event.pending_webhooks -= 1;
      this.collection.save(event);
    }
  }
}
