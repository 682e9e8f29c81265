/**
 * This machine's ceiling for durable webhook ingest, measured in the benchmark's own run: an
 * HMAC-SHA256 over a 1 KB body plus one durable single-row insert, in a tight loop from 16 clients,
 * after a second's warm-up. No ingest that verifies and stores each delivery could do more here.
 */
import { createHmac, randomBytes } from 'node:crypto';
import pg from 'pg';

export async function durableInsertCeiling(
  url: string,
  secret: string,
  seconds = 5,
  clients = 16,
): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: clients });
  await pool.query('create table if not exists bench_ceiling (id text primary key, payload text not null)');
  const body = randomBytes(512).toString('hex');
  let n = 0;
  const loop = async (until: number): Promise<number> => {
    let done = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < until) {
          const signature = createHmac('sha256', secret).update(body).digest('hex');
          await pool.query('insert into bench_ceiling (id, payload) values ($1, $2)', [
            String(n++),
            signature + body,
          ]);
          done++;
        }
      }),
    );
    return done;
  };
  await loop(performance.now() + 1000);
  const started = performance.now();
  const done = await loop(started + seconds * 1000);
  const rate = done / ((performance.now() - started) / 1000);
  await pool.query('drop table bench_ceiling');
  await pool.end();
  return rate;
}
