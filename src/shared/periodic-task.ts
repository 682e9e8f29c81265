/**
 * A pass run every so often in the background: never two at once (a pass still running when the
 * next is due makes the next one skip), and `stop` resolves only once the pass in flight is done.
 */
export class PeriodicTask<T> {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<T> | null = null;

  constructor(
    private readonly pass: () => Promise<T>,
    private readonly everyMs: number,
  ) {}

  /** Starts the schedule; `runNow` also runs a first pass at once. Starting twice keeps one timer. */
  start(options: { runNow?: boolean } = {}): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce().catch(() => {}), this.everyMs);
    this.timer.unref();
    if (options.runNow) void this.runOnce().catch(() => {});
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight?.catch(() => {});
  }

  /** One pass now (`pass` replaces the scheduled one, e.g. with a test's clock); null when one is running. */
  async runOnce(pass: () => Promise<T> = this.pass): Promise<T | null> {
    if (this.inFlight) return null;
    this.inFlight = pass();
    try {
      return await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }
}
