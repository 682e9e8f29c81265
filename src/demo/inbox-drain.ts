import type { Db } from '../db/client.js';
import type { StripeDemoActivity } from '../stripe/demo-activity.js';
import { demoRepository } from './repository.js';

const POLL_MS = 50;
/** A drain that makes no progress for this long has lost events: better to say so than to hang. */
const STALL_MS = 120_000;

/**
 * Waits until Recur has received every event Stripe made since the last drain and applied them all,
 * judged from Stripe's event list and the inbox rather than from the emulator's internals.
 */
export class InboxDrain {
  private since: string | null = null;

  constructor(
    private readonly deps: { activity: StripeDemoActivity; db: Db },
    private readonly options: { pollMs?: number; stallMs?: number } = {},
  ) {}

  /** Marks where the demo's events begin: those made before are not waited for. */
  async start(): Promise<void> {
    this.since = await this.deps.activity.newestEventId();
  }

  /** Resolves with the number of events that arrived since the last drain. */
  async drain(): Promise<number> {
    const ids = await this.deps.activity.eventIdsSince(this.since);
    const stallMs = this.options.stallMs ?? STALL_MS;
    let last = '';
    let movedAt = Date.now();
    for (;;) {
      const progress = await demoRepository.inboxProgress(this.deps.db, ids);
      if (progress.arrived === ids.length && progress.waiting === 0) break;
      const seen = `${progress.arrived}/${progress.waiting}`;
      if (seen !== last) [last, movedAt] = [seen, Date.now()];
      if (Date.now() - movedAt > stallMs) {
        throw new Error(
          `Recur stopped receiving or applying Stripe's events: ${progress.arrived} of ${ids.length} arrived, ` +
            `${progress.waiting} still waiting`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? POLL_MS));
    }
    if (ids[0]) this.since = ids[0];
    return ids.length;
  }
}
