import type { Database } from '../db/client.js';
import { eventRepository } from '../events/repository.js';
import type { EventQueue, QueueConsumer } from './port.js';

const CHANNEL = 'recur_events';

/** Wake-ups are NOTIFYs; their payload is the ids stored, comma-separated, or empty ("look"). */
export function notifiedIds(payload: string): string[] | null {
  return payload === '' ? null : payload.split(',');
}

/**
 * The embedded default: the inbox table is the queue. Consumers are woken at once by NOTIFY when
 * events arrive, so latency is not the poll interval. The statement that stores events names them
 * in its NOTIFY, so a consumer hands those ids on without a query; it reads the table itself only
 * at start, at each poll interval (retries come due, wake-ups can be missed while disconnected),
 * and when a wake-up names no ids. Publishing is only that wake-up call.
 */
export class DatabaseQueue implements EventQueue {
  readonly kind = 'database';
  readonly notifyChannel = CHANNEL;
  private readonly wakers = new Set<(ids: string[] | null) => void>();
  private notifyPending: Promise<void> | null = null;

  constructor(
    private readonly database: Database,
    private readonly options: { pollIntervalMs?: number; batchSize?: number } = {},
  ) {}

  /**
   * Nothing to do when the statement that stored the event raised the NOTIFY already (`notified`):
   * every consumer, this process's too, hears it. Otherwise this process's consumers are handed
   * the id at once, and other processes' woken through one NOTIFY per couple of milliseconds
   * however many events arrive: a burst costs one extra statement, not one each.
   */
  publish(eventId: string, options?: { notified?: boolean }): Promise<void> {
    if (options?.notified) return Promise.resolve();
    for (const wake of this.wakers) wake([eventId]);
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
    // Ids named by wake-ups and not handed on yet. Past this many, they are dropped for a look at
    // the table, which holds them all anyway.
    const maxHinted = batchSize * 16;
    let hinted: string[] = [];
    let mustScan = true;
    let lastScanAt = 0;
    let stopped = false;
    let wake: () => void = () => {};
    const woken = (ids: string[] | null) => {
      if (ids && hinted.length + ids.length <= maxHinted) hinted.push(...ids);
      else {
        hinted = [];
        mustScan = true;
      }
      wake();
    };
    this.wakers.add(woken);
    const unlisten = await this.database
      .listen(CHANNEL, (payload) => woken(notifiedIds(payload)))
      .catch(() => async () => {});
    const inFlight = new Set<Promise<void>>();
    const inFlightIds = new Set<string>();

    const loop = (async () => {
      while (!stopped) {
        let ids: string[] = [];
        if (mustScan || performance.now() - lastScanAt >= pollIntervalMs) {
          mustScan = false;
          lastScanAt = performance.now();
          try {
            // Ids already in hand are left out, so the next ones can be read while those still run.
            ids = await eventRepository.due(this.database.db, batchSize, [...inFlightIds]);
            // A full batch means more may be due: read on at once (in-flight ids excluded).
            if (ids.length >= batchSize) mustScan = true;
          } catch {
            // The database is away; the next poll tries again.
          }
        } else {
          ids = hinted;
          hinted = [];
        }
        for (const id of ids) {
          if (stopped) break;
          while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
          if (inFlightIds.has(id)) continue;
          inFlightIds.add(id);
          const task = handle(id)
            .catch(() => {})
            .finally(() => {
              inFlight.delete(task);
              inFlightIds.delete(id);
            });
          inFlight.add(task);
        }
        // Wake-ups that came while the loop was busy left ids or a look to take: no waiting then.
        if (!stopped && !mustScan && hinted.length === 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.max(0, lastScanAt + pollIntervalMs - performance.now()));
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
