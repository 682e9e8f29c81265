interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface BatcherOptions {
  /** Items one call of `run` takes at the most. */
  maxBatch: number;
  /** Calls of `run` in flight at once; items arriving meanwhile wait and go together in the next. */
  maxConcurrent: number;
  /**
   * How long an item that could start a call at once waits for others to join it (0: not at all).
   * A full batch never waits. Trades that much latency for fewer, larger calls at moderate rates,
   * where items rarely overlap a call in flight and would otherwise each pay a call of their own.
   */
  lingerMs?: number;
}

/**
 * Group commit. Each caller's promise settles with its own item's result, exactly as with one call
 * each; but items that arrive while `maxConcurrent` calls are in flight are handed to `run`
 * together in the next call, so a burst costs a few round trips and commits instead of one each. A
 * lone item is run at once (or after `lingerMs`, when set): without load, batching adds no delay
 * beyond that window.
 */
export class Batcher<T, R> {
  private queue: Array<Pending<T, R>> = [];
  private inFlight = 0;
  private lingering: NodeJS.Timeout | null = null;

  constructor(
    /** Results in the order of `items`; a rejection rejects every item of the call. */
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly options: BatcherOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.flush(this.options.lingerMs ?? 0);
    });
  }

  /**
   * Starts calls while there are items and room. `lingerMs`: how long items that could start a call
   * right now wait for others first; items that already waited for a call in flight go at once.
   */
  private flush(lingerMs: number): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxConcurrent) {
      if (lingerMs > 0 && this.queue.length < this.options.maxBatch) {
        // The window opens with the first such item, and closes when it ends or the batch fills.
        this.lingering ??= setTimeout(() => {
          this.lingering = null;
          this.flush(0);
        }, lingerMs);
        return;
      }
      if (this.lingering) {
        clearTimeout(this.lingering);
        this.lingering = null;
      }
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      this.runBatch(batch).finally(() => {
        this.inFlight--;
        this.flush(0);
      });
    }
  }

  private async runBatch(batch: Array<Pending<T, R>>): Promise<void> {
    try {
      const results = await this.run(batch.map((p) => p.item));
      for (const [i, pending] of batch.entries()) pending.resolve(results[i]!);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}
