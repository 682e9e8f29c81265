import type { Database } from '../db/client.js';
import { eventRepository } from '../events/repository.js';
import type { EventQueue, QueueConsumer } from './port.js';

const CHANNEL = 'recur_events';

/**
 * The embedded default: the inbox table is the queue. Consumers poll for due rows (skipping rows
 * other workers hold) and are woken at once by NOTIFY when an event arrives, so latency is not the
 * poll interval. Publishing is only that wake-up call.
 */
export class DatabaseQueue implements EventQueue {
  readonly kind = 'database';
  readonly notifyChannel = CHANNEL;
  private readonly wakers = new Set<() => void>();
  private notifyPending: Promise<void> | null = null;

  constructor(
    private readonly database: Database,
    private readonly options: { pollIntervalMs?: number; batchSize?: number } = {},
  ) {}

  /**
   * Wakes this process's consumers at once, and other processes' through one NOTIFY per couple of
   * milliseconds however many events arrive: a burst costs one extra statement, not one each; none
   * when the statement that stored the events raised it already (`notified`).
   */
  publish(_eventId: string, options?: { notified?: boolean }): Promise<void> {
    for (const wake of this.wakers) wake();
    if (options?.notified) return Promise.resolve();
    this.notifyPending ??= new Promise<void>((resolve) => setTimeout(resolve, 2)).then(() => {
      this.notifyPending = null;
      return this.database.notify(CHANNEL);
    });
    return this.notifyPending;
  }

  async consume(
    handle: (eventId: string) => Promise<void>,
    options: { concurrency: number },
  ): Promise<QueueConsumer> {
    const pollIntervalMs = this.options.pollIntervalMs ?? 1_000;
    const batchSize = this.options.batchSize ?? Math.max(10, options.concurrency * 4);
    let stopped = false;
    let wake: () => void = () => {};
    // A wake-up that arrives while the loop is busy must not be lost until the next poll.
    let pending = false;
    const woken = () => {
      pending = true;
      wake();
    };
    this.wakers.add(woken);
    const unlisten = await this.database.listen(CHANNEL, woken).catch(() => async () => {});
    const inFlight = new Set<Promise<void>>();
    const inFlightIds = new Set<string>();

    const loop = (async () => {
      while (!stopped) {
        pending = false;
        let ids: string[] = [];
        try {
          // Ids already in hand are left out, so the next ones can be read while those still run.
          ids = await eventRepository.due(this.database.db, batchSize, [...inFlightIds]);
        } catch {
          // The database is away; the next poll tries again.
        }
        for (const id of ids) {
          if (stopped) break;
          while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
          inFlightIds.add(id);
          const task = handle(id)
            .catch(() => {})
            .finally(() => {
              inFlight.delete(task);
              inFlightIds.delete(id);
            });
          inFlight.add(task);
        }
        // A full batch means more may be due: read on at once (in-flight ids excluded).
        if (ids.length < batchSize && !stopped && !pending) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, pollIntervalMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = () => {};
        }
      }
    })();

    return {
      stop: async () => {
        stopped = true;
        wake();
        await loop;
        await Promise.all(inFlight);
        this.wakers.delete(woken);
        await unlisten();
      },
    };
  }

  ping(): Promise<void> {
    return this.database.ping();
  }

  async close(): Promise<void> {
    this.wakers.clear();
  }
}
