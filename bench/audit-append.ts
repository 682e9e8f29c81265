/**
 * The audit trail's cost per write: concurrent writers each commit small transactions (one row
 * into a table of their own), without and then with `recordAudit`, whose chain lock serialises the
 * appends. Printed: writes per second and per-write latency (p50/p99) for each, on PostgreSQL
 * (BENCH_DATABASE_URL, default the local `test` database) and on embedded PGlite.
 */
import { sql } from 'drizzle-orm';
import { withAuditScope } from '../src/audit/context.js';
import { recordAudit } from '../src/audit/record.js';
import { verifyAuditChain } from '../src/audit/verify.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { createBenchDatabase } from './support/database.js';

const WRITERS = Number(process.env.AUDIT_BENCH_WRITERS ?? 16);
const WRITES = Number(process.env.AUDIT_BENCH_WRITES ?? 4000);

async function run(
  database: Database,
  audited: boolean,
): Promise<{ perSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  const began = performance.now();
  const writer = async () => {
    while (next < WRITES) {
      const n = next++;
      const start = performance.now();
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into bench_writes (n) values (${n})`);
        if (audited)
          await withAuditScope(
            {
              actor: () => ({ type: 'api_key', id: 'key_bench', role: 'admin' }),
              requestId: `req_${n}`,
              clientAddress: '127.0.0.1',
            },
            () =>
              recordAudit(tx, {
                action: 'bench.write',
                objectType: 'bench',
                objectId: String(n),
                after: { n },
              }),
          );
      });
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  const seconds = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { perSecond: WRITES / seconds, p50: at(0.5), p99: at(0.99) };
}

async function measure(name: string, database: Database): Promise<void> {
  await database.migrate();
  await database.db.execute(sql`create table bench_writes (n integer not null)`);
  // Warm-up, then plain and audited in turn, twice, so neither is always first.
  await run(database, false);
  for (const round of [1, 2]) {
    for (const audited of [false, true]) {
      const r = await run(database, audited);
      process.stdout.write(
        `${name} round ${round} ${audited ? 'audited' : 'plain  '}: ${r.perSecond.toFixed(0)} writes/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (${WRITERS} writers)\n`,
      );
    }
  }
  const verify = await verifyAuditChain(database.db);
  process.stdout.write(`${name}: chain ${verify.ok ? 'intact' : 'BROKEN'} over ${verify.rows} rows\n`);
}

const bench = await createBenchDatabase(
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
);
const postgres = await openDatabase({ url: bench.url, poolSize: WRITERS });
try {
  await measure('postgres', postgres);
} finally {
  await postgres.close();
  await bench.drop();
}
const pglite = await openDatabase({ dataDir: ':memory:' });
try {
  await measure('pglite  ', pglite);
} finally {
  await pglite.close();
}
