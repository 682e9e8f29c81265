/** Helpers shared by the queue adapters' tests. */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `condition` holds, checking every 10 ms; fails the test after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms: ${condition}`);
    await sleep(10);
  }
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A queue handler that records every delivery, every success and how many ran at once. */
export class RecordingHandler {
  readonly deliveries: string[] = [];
  readonly handled: string[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly work: (eventId: string) => Promise<void> = async () => {}) {}

  readonly handle = async (eventId: string): Promise<void> => {
    this.deliveries.push(eventId);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.work(eventId);
      this.handled.push(eventId);
    } finally {
      this.inFlight--;
    }
  };
}

/** The host and port a broker URL points at, for putting a TcpProxy in front of it. */
export function targetOf(url: string): { host: string; port: number; viaPort: (port: number) => string } {
  const parsed = new URL(url);
  const host = parsed.hostname;
  const port = Number(parsed.port || (parsed.protocol.startsWith('amqp') ? 5672 : 6379));
  return {
    host,
    port,
    viaPort: (proxyPort) => {
      const via = new URL(url);
      via.hostname = '127.0.0.1';
      via.port = String(proxyPort);
      return via.toString();
    },
  };
}
