import type { Db } from '../db/client.js';
import { type InboxRow, eventRepository as repo } from './repository.js';

interface Pending {
  row: InboxRow;
  resolve: (stored: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the inbox. Each caller's promise settles only after its row is durably
 * committed (or found to be a duplicate), exactly as with one insert each; but rows that arrive
 * while a commit is in flight go to the database together in the next multi-row insert, so a burst
 * of webhooks costs a few round trips instead of one each. A lone event is written at once.
 */
export class InboxWriter {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Db,
    private readonly options: { maxBatch: number; maxConcurrentFlushes: number } = {
      maxBatch: 200,
      maxConcurrentFlushes: 4,
    },
  ) {}

  /** Resolves to true when this row was stored, false when its (source, external id) already was. */
  write(row: InboxRow): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxConcurrentFlushes) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      this.commit(batch).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const storedIds = await repo.insertInboxRows(
        this.db,
        batch.map((p) => p.row),
      );
      for (const pending of batch) pending.resolve(storedIds.has(pending.row.id));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}
