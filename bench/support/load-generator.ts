/**
 * A load generator in a process of its own, so it does not share the server's core. The parent
 * sends a job (bodies already signed, a concurrency, optionally a rate); the child builds every
 * request's bytes, says `ready`, and on `go` posts them over keep-alive connections, then answers
 * with per-request latency and send times. One child serves every job of a run, so the warm-up
 * job warms the generator too.
 *
 * It speaks HTTP/1.1 over plain sockets, as wrk does, rather than through node:http's client: on
 * this 2-core machine the generator shares the CPU with the server and PostgreSQL, and the client
 * library's own cost per request (a third of a core at 4,000 requests/s) was taken from the system
 * it measures. Stripe's real deliveries cost this machine nothing to send.
 */
import { connect, type Socket } from 'node:net';

/**
 * One request: a signed webhook (`body` and its `signature`, posted to the job's URL), or an API
 * call to `path` on the job's host with `headers`: a GET, or a POST of `json` when it is given.
 */
export type LoadRequest =
  | { id: string; body: string; signature: string }
  | { id: string; path: string; headers: Record<string, string>; json?: string };

export interface LoadJob {
  url: string;
  bodies: LoadRequest[];
  concurrency: number;
  /** Requests per second; unset sends as fast as the concurrency allows. */
  ratePerSecond?: number;
  /**
   * Loopback addresses the connections are spread over (127.0.0.x), as Stripe delivers from about
   * a dozen addresses (docs.stripe.com/ips, "Webhook notifications"); unset: 127.0.0.1 only.
   */
  sourceAddresses?: string[];
}

export interface LoadResult {
  durationMs: number;
  latenciesMs: number[];
  statuses: Record<string, number>;
  /** Wall-clock ms at which each event's request was sent, by event id. */
  sentAt: Record<string, number>;
  /** CPU time (µs) the generator itself spent sending. */
  cpuUs: number;
}

export type LoadMessage = { ready: true } | { result: LoadResult };

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection that sends a request and resolves with the response's status. */
class Connection {
  private socket: Socket | null = null;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (status: number) => void } | null = null;

  constructor(
    private readonly url: URL,
    private readonly localAddress?: string,
  ) {}

  send(request: Buffer): Promise<number> {
    return new Promise((resolve) => {
      this.waiting = { resolve };
      this.open().write(request);
    });
  }

  close(): void {
    this.socket?.destroy();
  }

  private open(): Socket {
    if (this.socket) return this.socket;
    const socket = connect({
      port: Number(this.url.port),
      host: this.url.hostname,
      ...(this.localAddress ? { localAddress: this.localAddress } : {}),
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.receive(chunk));
    // A dropped connection fails the request in flight (status 0) and is opened again on the next.
    const drop = () => {
      if (this.socket === socket) this.socket = null;
      this.buffered = Buffer.alloc(0);
      this.settle(0);
    };
    socket.on('error', drop);
    socket.on('close', drop);
    this.socket = socket;
    return socket;
  }

  private receive(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const end = this.buffered.indexOf(HEADER_END);
    if (end < 0) return;
    const head = this.buffered.toString('latin1', 0, end);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    // The server answers every request with a Content-Length; anything else is a failed request.
    const total = end + HEADER_END.length + (length ? Number(length[1]) : 0);
    if (this.buffered.length < total) return;
    const status = length ? Number(head.slice(9, 12)) : 0;
    this.buffered = this.buffered.subarray(total);
    this.settle(status);
  }

  private settle(status: number): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.resolve(status);
  }
}

function requestBytes(url: URL, item: LoadRequest): Buffer {
  if ('path' in item) {
    const headers = Object.entries(item.headers).map(([name, value]) => `${name}: ${value}\r\n`);
    if (item.json === undefined)
      return Buffer.from(
        `GET ${item.path} HTTP/1.1\r\nhost: ${url.host}\r\n${headers.join('')}\r\n`,
        'latin1',
      );
    const json = Buffer.from(item.json);
    const head =
      `POST ${item.path} HTTP/1.1\r\nhost: ${url.host}\r\n${headers.join('')}` +
      `content-type: application/json\r\ncontent-length: ${json.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), json]);
  }
  const body = Buffer.from(item.body);
  const head =
    `POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\n` +
    `content-length: ${body.length}\r\nstripe-signature: ${item.signature}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

async function run(job: LoadJob, requests: Buffer[]): Promise<LoadResult> {
  const url = new URL(job.url);
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  const sentAt: Record<string, number> = {};
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const interval = job.ratePerSecond ? 1000 / job.ratePerSecond : 0;
  const addresses = job.sourceAddresses ?? [];
  const connections = Array.from(
    { length: job.concurrency },
    (_, n) => new Connection(url, addresses[n % Math.max(1, addresses.length)]),
  );
  const sender = async (connection: Connection) => {
    for (;;) {
      const index = next++;
      const item = job.bodies[index];
      if (!item) return;
      // At a fixed rate, latency counts from when the request was due: a request sent late because
      // every connection was busy waited in the queue, as a real caller would.
      const due = interval ? started + index * interval : Number.POSITIVE_INFINITY;
      const wait = due - performance.now();
      if (interval && wait > 0) await new Promise((r) => setTimeout(r, wait));
      const t0 = Math.min(due, performance.now());
      sentAt[item.id] = Date.now();
      const status = await connection.send(requests[index]!);
      latenciesMs.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(connections.map(sender));
  const durationMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  for (const connection of connections) connection.close();
  return { durationMs, latenciesMs, statuses, sentAt, cpuUs: user + system };
}

let job: LoadJob | null = null;
let requests: Buffer[] = [];

const reply = (message: LoadMessage, then: () => void = () => {}) => process.send?.(message, then);

process.on('message', (message: LoadJob | 'go') => {
  if (message !== 'go') {
    job = message;
    const url = new URL(job.url);
    requests = job.bodies.map((item) => requestBytes(url, item));
    reply({ ready: true });
    return;
  }
  if (!job) throw new Error('go before a job');
  run(job, requests).then(
    (result) => reply({ result }),
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
});
