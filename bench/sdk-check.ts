/**
 * The SDK's entitlement check: answered from the app's memory (the cache fed by signed
 * `entitlements.updated` webhooks, as `webhooks.handle` applies them), next to the same answer
 * asked of Recur over HTTP on loopback (GET /api/users/:id/entitlements, PostgreSQL).
 *
 *   npx tsx bench/sdk-check.ts [--users 10000] [--checks 200000] [--requests 2000]
 *
 * Prints figures only; nothing here passes or fails.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { Recur } from '../packages/sdk/src/index.js';
import { buildApp } from '../src/app.js';
import { loadBenchTargets } from '../src/config.js';
import { offlineServices } from './support/offline-services.js';
import { fmt, percentile, table } from './support/stats.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '10000' },
    checks: { type: 'string', default: '200000' },
    requests: { type: 'string', default: '2000' },
  },
});
const USERS = Number(args.users);
const CHECKS = Number(args.checks);
const REQUESTS = Number(args.requests);
const SECRET = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;

function delivery(userId: string) {
  const body = JSON.stringify({
    type: 'entitlements.updated',
    version: 1,
    timestamp: new Date().toISOString(),
    subject: `user:${userId}`,
    sequence: 1,
    data: {
      user_id: userId,
      entitlements: { benefits: { api_access: true, seats: 5 }, subscriptions: [] },
      changes: { added: ['api_access', 'seats'], removed: [], changed: [] },
    },
  });
  const now = new Date();
  const headers = {
    'webhook-id': `msg_${userId}`,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(SECRET).sign(`msg_${userId}`, now, body),
  };
  return { body, headers };
}

/** Each sample in microseconds. */
async function time(count: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await run(i);
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  return samples;
}

const row = (measure: string, samples: number[]) => ({
  measure,
  calls: samples.length,
  'p50 µs': fmt(percentile(samples, 50), 2),
  'p99 µs': fmt(percentile(samples, 99), 2),
  'calls/s': fmt(samples.length / (samples.reduce((a, b) => a + b, 0) / 1e6), 0),
});

async function main() {
  const { services, close } = await offlineServices(loadBenchTargets().databaseUrl);
  const { app } = await buildApp(services);
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const { key } = await services.apiKeys.create('bench', 'service');
    const recur = new Recur({
      baseUrl,
      apiKey: key,
      webhookSecret: SECRET,
      entitlements: { ttlSeconds: 3600 },
    });
    const users = Array.from({ length: USERS }, (_, i) => `user_${i}`);
    for (const user of users) {
      const { body, headers } = delivery(user);
      recur.webhooks.handle(body, headers);
    }
    await time(20_000, (i) => recur.entitlements.check(users[i % USERS]!, 'api_access'));
    const cached = await time(CHECKS, (i) => recur.entitlements.check(users[i % USERS]!, 'api_access'));
    await time(100, (i) => recur.entitlements.get(users[i]!));
    const http = await time(REQUESTS, (i) => recur.entitlements.get(users[i % USERS]!));
    process.stdout.write(
      `${table([row('check from the in-process cache', cached), row('GET /api/users/:id/entitlements over HTTP', http)])}\n`,
    );
    process.stdout.write(
      `${USERS} users in the cache (each applied from a signed webhook); cached checks after 20,000 warm-up calls; HTTP after 100, one at a time on loopback (users without a subscription: the route's cheapest query)\n`,
    );
  } finally {
    await app.close();
    await close();
  }
}

await main();
