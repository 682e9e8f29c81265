/**
 * A load generator in a process of its own, so it does not share the server's core. The parent
 * sends a job (bodies already signed, a concurrency, optionally a rate); the child posts them over
 * keep-alive connections and answers with per-request latency and send times.
 */
import { Agent, request } from 'node:http';

export interface LoadJob {
  url: string;
  bodies: Array<{ id: string; body: string; signature: string }>;
  concurrency: number;
  /** Requests per second; unset sends as fast as the concurrency allows. */
  ratePerSecond?: number;
}

export interface LoadResult {
  durationMs: number;
  latenciesMs: number[];
  statuses: Record<string, number>;
  /** Wall-clock ms at which each event's request was sent, by event id. */
  sentAt: Record<string, number>;
}

function post(agent: Agent, url: URL, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'stripe-signature': signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(job: LoadJob): Promise<LoadResult> {
  const url = new URL(job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  const sentAt: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const interval = job.ratePerSecond ? 1000 / job.ratePerSecond : 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      const item = job.bodies[index];
      if (!item) return;
      if (interval) {
        const due = started + index * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const t0 = performance.now();
      sentAt[item.id] = Date.now();
      const status = await post(agent, url, item.body, item.signature).catch(() => 0);
      latenciesMs.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  agent.destroy();
  return { durationMs: performance.now() - started, latenciesMs, statuses, sentAt };
}

process.on('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
});
