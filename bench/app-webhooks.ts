/**
 * Webhooks to the host app on PostgreSQL: the dispatcher's throughput next to this machine's
 * ceiling for the same HTTP client, measured in the same run.
 *
 *   ceiling     signed POSTs by the dispatcher's own client (`postWebhook`, a new connection per
 *               request, as deliveries make) with as many in flight as the dispatcher allows,
 *               no database: the most any dispatcher could send here
 *   dispatcher  deliveries already due in the outbox (one message to each of the endpoints),
 *               claimed, signed, posted and recorded by one dispatcher at its default caps:
 *               deliveries/s from start until every one is recorded as succeeded
 *
 * Both post to a receiver in a process of its own that answers 204 at once.
 *
 *   npx tsx bench/app-webhooks.ts [--messages 1000] [--endpoints 8]
 *
 * Prints figures only; nothing here passes or fails. Loopback only, bounded in count.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { AppWebhookDispatcher } from '../src/app-webhooks/dispatcher.js';
import { createAppWebhookMetrics } from '../src/app-webhooks/metrics.js';
import { announce } from '../src/app-webhooks/outbox.js';
import { signedHeaders } from '../src/app-webhooks/signing.js';
import { postWebhook } from '../src/app-webhooks/webhook-post.js';
import { loadBenchTargets, loadConfig } from '../src/config.js';
import { openDatabase, queryRows } from '../src/db/client.js';
import { createMetrics } from '../src/observability/metrics.js';
import { PiiCipher } from '../src/shared/crypto.js';
import { createBenchDatabase } from './support/database.js';
import { fmt, table } from './support/stats.js';

if (process.argv.includes('--receiver')) {
  // The host app's endpoint: answers every POST with 204 as soon as its body has arrived.
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
} else {
  await main();
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      messages: { type: 'string', default: '1000' },
      endpoints: { type: 'string', default: '8' },
      receiver: { type: 'boolean' },
    },
  });
  const MESSAGES = Number(args.messages);
  const ENDPOINTS = Number(args.endpoints);
  const config = loadConfig({}).appWebhooks;
  const logger = pino({ level: 'warn' });
  const cipher = new PiiCipher([randomBytes(32)]);
  const secret = `whsec_${randomBytes(24).toString('base64')}`;

  const receiver = fork(fileURLToPath(import.meta.url), ['--receiver'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) => receiver.once('message', (m) => resolve(Number(m))));
  const url = `http://127.0.0.1:${port}/hooks`;
  const body = JSON.stringify({ type: 'ping', data: { message: 'x'.repeat(400) } });

  // Ceiling: the same client at the dispatcher's concurrency, with no database.
  const ceilingCount = MESSAGES * ENDPOINTS;
  const inFlight = Math.min(config.concurrency, ENDPOINTS * config.endpointConcurrency);
  let sent = 0;
  let failed = 0;
  const target = { url: new URL(url), addresses: [{ address: '127.0.0.1', family: 4 as const }] };
  const ceilingStart = performance.now();
  const ceilingCpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (sent < ceilingCount) {
        const n = sent++;
        const now = new Date();
        const outcome = await postWebhook({
          ...target,
          headers: signedHeaders([secret], `msg_ceiling_${n}`, now, body),
          body,
          timeoutMs: config.timeoutMs,
        });
        if (outcome.statusCode !== 204) failed++;
      }
    }),
  );
  const ceilingSeconds = (performance.now() - ceilingStart) / 1000;
  const ceilingCpu = process.cpuUsage(ceilingCpuBefore);

  const { databaseUrl } = loadBenchTargets();
  const benchDb = await createBenchDatabase(databaseUrl);
  const database = await openDatabase({ url: benchDb.url, poolSize: 10 });
  try {
    await database.migrate();
    for (let i = 0; i < ENDPOINTS; i++)
      await database.db.execute(sql`insert into app_webhook_endpoints (id, url, secret_encrypted)
        values (${`we_bench_${i}`}, ${url}, ${cipher.encrypt(secret)})`);
    for (let batch = 0; batch < MESSAGES; batch += 100)
      await database.db.transaction(async (tx) => {
        for (let i = batch; i < Math.min(MESSAGES, batch + 100); i++)
          await announce(tx, {
            type: 'ping',
            subject: `bench:${i}`,
            dedupeKey: `bench:${i}`,
            at: new Date(),
            data: { endpoint_id: 'all', message: 'x'.repeat(400) },
          });
      });
    const dispatcher = new AppWebhookDispatcher(
      {
        db: database.db,
        cipher,
        metrics: createAppWebhookMetrics(createMetrics()),
        logger,
      },
      { ...config, allowPrivate: true },
    );
    const total = MESSAGES * ENDPOINTS;
    const start = performance.now();
    const cpuBefore = process.cpuUsage();
    dispatcher.start();
    let left = total;
    while (left > 0) {
      await new Promise((r) => setTimeout(r, 100));
      const [row] = await queryRows<{ left: number }>(
        database.db,
        sql`select count(*)::int as left from app_webhook_deliveries where status <> 'succeeded'`,
      );
      left = row!.left;
    }
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    await dispatcher.stop();
    process.stdout.write(
      `${table([
        {
          measure: `plain HTTP client ceiling (${inFlight} in flight, no database)`,
          requests: ceilingCount,
          'per second': fmt(ceilingCount / ceilingSeconds, 0),
          'CPU ms per request': fmt((ceilingCpu.user + ceilingCpu.system) / 1000 / ceilingCount, 2),
          failed,
        },
        {
          measure: `dispatcher (${ENDPOINTS} endpoints, caps ${config.concurrency}/${config.endpointConcurrency}, PostgreSQL)`,
          requests: total,
          'per second': fmt(total / seconds, 0),
          'CPU ms per request': fmt((cpu.user + cpu.system) / 1000 / total, 2),
          failed: 0,
        },
      ])}\n`,
    );
  } finally {
    await database.close();
    await benchDb.drop();
    receiver.kill();
  }
}
