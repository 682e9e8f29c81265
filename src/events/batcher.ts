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
}

/**
 * Group commit. Each caller's promise settles with its own item's result, exactly as with one call
 * each; but items that arrive while `maxConcurrent` calls are in flight are handed to `run`
 * together in the next call, so a burst costs a few round trips and commits instead of one each. A
 * lone item is run at once: batching adds no delay when there is no load.
 */
export class Batcher<T, R> {
  private queue: Array<Pending<T, R>> = [];
  private inFlight = 0;

  constructor(
    /** Results in the order of `items`; a rejection rejects every item of the call. */
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly options: BatcherOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxConcurrent) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      this.runBatch(batch).finally(() => {
        this.inFlight--;
        this.flush();
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
