/**
 * Runs at most `limit` tasks at once; tasks beyond the limit wait in arrival order. Consumers hold
 * handlers to their `concurrency` with it, whatever the broker has already handed over, and wait on
 * it when stopping.
 */
export class ConcurrencyGate {
  #active = 0;
  readonly #waiting: Array<() => void> = [];
  readonly #watchers: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
    }
  }

  /** Tasks running now. */
  get active(): number {
    return this.#active;
  }

  /** Starts `task` once a slot is free. Tasks handle their own errors: a rejection here is a bug. */
  run(task: () => Promise<void>): void {
    void this.#acquire()
      .then(task)
      .finally(() => this.#release());
  }

  /** Resolves when a slot is free, for consumers that pull as many entries as they have room for. */
  whenSlotFree(): Promise<void> {
    return this.#until(() => this.#active < this.limit);
  }

  /** Resolves when nothing is running or waiting to run. */
  whenIdle(): Promise<void> {
    return this.#until(() => this.#active === 0 && this.#waiting.length === 0);
  }

  #acquire(): Promise<void> {
    if (this.#active < this.limit) {
      this.#active++;
      return Promise.resolve();
    }
    // The slot is handed over by #release, so #active already counts this task when it starts.
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#active--;
    for (const watcher of this.#watchers.splice(0)) watcher();
  }

  async #until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise<void>((resolve) => this.#watchers.push(resolve));
  }
}
