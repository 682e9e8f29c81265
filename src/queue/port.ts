/**
 * The event queue carries inbox event ids from the API to the workers. The events table is the
 * source of truth: a lost message is re-sent by the relay and a duplicate is skipped by the worker,
 * so adapters promise only at-least-once delivery of ids, never exactly-once.
 */
export interface EventQueue {
  readonly kind: 'database' | 'rabbitmq' | 'redis';
  /**
   * The database queue's NOTIFY channel, which wakes its consumers in other processes. The inbox
   * raises it in the very statement that stores events, saving a statement of its own per burst.
   */
  readonly notifyChannel?: string;
  /**
   * Resolves once the broker holds the id durably (publisher confirm, XADD reply …). `notified`:
   * the statement that stored the event already raised `notifyChannel`.
   */
  publish(eventId: string, options?: { notified?: boolean }): Promise<void>;
  /**
   * Delivers ids to `handle`, at most `concurrency` at a time. An id is acknowledged when `handle`
   * resolves; when it rejects, or the consumer dies before acknowledging, the id is delivered again.
   */
  consume(
    handle: (eventId: string) => Promise<void>,
    options: { concurrency: number },
  ): Promise<QueueConsumer>;
  /** Throws when the broker cannot be reached (readiness probes). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface QueueConsumer {
  /** Stops taking new ids and waits for those in flight. */
  stop(): Promise<void>;
}
