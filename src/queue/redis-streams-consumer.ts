import type { Redis } from 'ioredis';
import { ConcurrencyGate } from './concurrency-gate.js';
import { errorMessage } from './errors.js';
import type { QueueLogger } from './logger.js';
import type { QueueConsumer } from './port.js';

/** The stream entry field that holds the event id. */
export const EVENT_ID_FIELD = 'event_id';

/** Pause after an unexpected read error before trying again, so a persistent fault cannot spin. */
const ERROR_PAUSE_MS = 1_000;

export interface RedisStreamsConsumerOptions {
  /** A connection of its own: XREADGROUP BLOCK holds it for the whole wait. */
  reader: Redis;
  stream: string;
  group: string;
  consumerName: string;
  claimIdleMs: number;
  concurrency: number;
  handle: (eventId: string) => Promise<void>;
  /** XACKs and deletes a handled entry (on the adapter's command connection). */
  acknowledge: (entryId: string) => Promise<void>;
  /** Creates the consumer group again, for when the stream vanished under it. */
  recreateGroup: () => Promise<void>;
  logger: QueueLogger;
}

interface Entry {
  id: string;
  eventId: string | null;
}

type StreamEntries = Array<[id: string, fields: string[] | null]>;

/**
 * One consumer of the group, pulling as many entries as it has free handler slots. A single loop
 * alternates two reads: XREADGROUP for new entries, blocking until the next claim is due, and
 * XAUTOCLAIM for entries left pending longer than `claimIdleMs`, by a consumer that died or by a
 * handler that rejected (Redis has no nack: such an entry is simply not acked, and comes back once
 * it has been idle that long). Sequencing both on one loop keeps the slot count exact.
 */
export class RedisStreamsConsumer implements QueueConsumer {
  readonly #gate: ConcurrencyGate;
  readonly #claimEveryMs: number;
  /** Entries with a handler running here, so a claim of our own slow entry does not run it twice. */
  readonly #running = new Set<string>();
  #claimCursor = '0-0';
  #nextClaimAt = 0;
  #stopping = false;
  #signalStop: () => void = () => {};
  /** Settles on stop(): the reader's commands can wait out a reconnect for ever, stopping must not. */
  readonly #stopRequested = new Promise<null>((resolve) => {
    this.#signalStop = () => resolve(null);
  });
  #loop: Promise<void> = Promise.resolve();
  #stopped: Promise<void> | null = null;

  constructor(private readonly options: RedisStreamsConsumerOptions) {
    this.#gate = new ConcurrencyGate(options.concurrency);
    this.#claimEveryMs = Math.max(50, Math.min(options.claimIdleMs / 2, 10_000));
  }

  start(): void {
    this.#loop = this.#run();
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    this.#stopping = true;
    this.#signalStop();
    // Ends a blocked XREADGROUP at once. Should Redis have sent entries in that very instant, they
    // stay pending under this consumer's name and another consumer claims them after claimIdleMs.
    this.options.reader.disconnect();
    await this.#loop;
    await this.#gate.whenIdle();
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      await this.#gate.whenSlotFree();
      if (this.#stopping) break;
      const room = this.#gate.limit - this.#gate.active;
      try {
        const entries = Date.now() >= this.#nextClaimAt ? await this.#claim(room) : await this.#read(room);
        for (const entry of entries) this.#start(entry);
      } catch (error) {
        if (this.#stopping) break;
        await this.#recover(error);
      }
    }
  }

  async #read(count: number): Promise<Entry[]> {
    const { reader, group, consumerName, stream } = this.options;
    const blockMs = Math.max(1, this.#nextClaimAt - Date.now());
    const read = reader.xreadgroup(
      'GROUP',
      group,
      consumerName,
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      'STREAMS',
      stream,
      '>',
    ) as Promise<Array<[stream: string, entries: StreamEntries]> | null>;
    const reply = await this.#unlessStopped(read);
    return toEntries(reply?.[0]?.[1] ?? []);
  }

  async #claim(count: number): Promise<Entry[]> {
    const { reader, group, consumerName, stream, claimIdleMs } = this.options;
    const claim = reader.xautoclaim(
      stream,
      group,
      consumerName,
      claimIdleMs,
      this.#claimCursor,
      'COUNT',
      count,
    );
    const reply = await this.#unlessStopped(claim as Promise<[cursor: string, entries: StreamEntries]>);
    if (!reply) return [];
    const [cursor, claimed] = reply;
    // A cursor back at 0-0 means the pending list has been walked to its end; otherwise more idle
    // entries may follow, so the next claim is due at once.
    this.#claimCursor = cursor;
    this.#nextClaimAt = cursor === '0-0' ? Date.now() + this.#claimEveryMs : 0;
    if (claimed.length > 0) {
      this.options.logger.info({ count: claimed.length }, 'Claimed event ids left pending by a consumer');
    }
    return toEntries(claimed);
  }

  #start(entry: Entry): void {
    if (this.#running.has(entry.id)) return;
    const { eventId } = entry;
    if (eventId === null) {
      // Not something our publish wrote: dropping it is the only way it stops coming back.
      this.options.logger.error({ entryId: entry.id }, `Stream entry without ${EVENT_ID_FIELD}; removing it`);
      void this.#acknowledge(entry.id, null);
      return;
    }
    this.#running.add(entry.id);
    this.#gate.run(async () => {
      try {
        if (await this.#handled(eventId)) await this.#acknowledge(entry.id, eventId);
      } finally {
        this.#running.delete(entry.id);
      }
    });
  }

  async #handled(eventId: string): Promise<boolean> {
    try {
      await this.options.handle(eventId);
      return true;
    } catch (error) {
      this.options.logger.warn(
        { eventId, err: errorMessage(error), retryAfterMs: this.options.claimIdleMs },
        'Event handler failed; the id stays pending until it is claimed again',
      );
      return false;
    }
  }

  async #acknowledge(entryId: string, eventId: string | null): Promise<void> {
    try {
      await this.options.acknowledge(entryId);
    } catch (error) {
      this.options.logger.warn(
        { eventId, entryId, err: errorMessage(error) },
        'Could not acknowledge a handled id; it will be delivered again',
      );
    }
  }

  async #recover(error: unknown): Promise<void> {
    if (errorMessage(error).startsWith('NOGROUP')) {
      this.options.logger.warn({ stream: this.options.stream }, 'Consumer group is gone; creating it again');
      try {
        await this.options.recreateGroup();
        return;
      } catch (groupError) {
        error = groupError;
      }
    }
    this.options.logger.warn({ err: errorMessage(error) }, 'Reading the event stream failed; retrying');
    let timer: NodeJS.Timeout | undefined;
    await this.#unlessStopped(new Promise((resolve) => (timer = setTimeout(resolve, ERROR_PAUSE_MS))));
    clearTimeout(timer);
  }

  /** `command`'s outcome, or null as soon as stop() is called. */
  #unlessStopped<T>(command: Promise<T>): Promise<T | null> {
    return Promise.race([command, this.#stopRequested]);
  }
}

function toEntries(entries: StreamEntries): Entry[] {
  return entries.map(([id, fields]) => ({ id, eventId: fields ? eventIdOf(fields) : null }));
}

/** Fields come as a flat [name, value, …] list; they are null for an entry deleted while pending. */
function eventIdOf(fields: string[]): string | null {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === EVENT_ID_FIELD) return fields[i + 1] ?? null;
  }
  return null;
}
