import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { queryRows } from '../src/db/client.js';
import { billingTestApp, customerWithCard, monthlyPrice } from './support/billing-app.js';
import { settled } from './support/wait.js';

/** Finished events leave the inbox after RECUR_EVENT_RETENTION_DAYS; unfinished ones never do. */
const h = billingTestApp(() => ({ RECUR_EVENT_RETENTION_DAYS: '30' }));

const statuses = async () =>
  queryRows<{ status: string; old: boolean; n: number }>(
    h.t.database.db,
    sql`select status, received_at < now() - interval '30 days' as old, count(*)::int as n
        from events group by 1, 2 order by 1, 2`,
  );

describe('event retention', () => {
  it('deletes processed and ignored events older than the retention, with their attempts, and keeps the rest', async () => {
    const customer = await customerWithCard(h.stripe);
    const price = await monthlyPrice(h.stripe, 1500);
    await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    await settled(h.t);
    const { db } = h.t.database;
    const [{ n: total }] = (await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from events`,
    )) as [{ n: number }];
    expect(total).toBeGreaterThan(6);

    // Age all but the two newest by 31 days; of the aged, leave one failed and one dead.
    await db.execute(sql`update events set received_at = received_at - interval '31 days'
      where id not in (select id from events order by received_at desc, id desc limit 2)`);
    await db.execute(sql`update events set status = 'failed'
      where id = (select id from events where received_at < now() - interval '30 days' order by id limit 1)`);
    await db.execute(sql`update events set status = 'dead'
      where id = (select id from events where received_at < now() - interval '30 days' and status <> 'failed' order by id limit 1)`);
    const aged = total - 2;

    const result = await h.t.services.retentionSweep.runOnce();
    expect(result).toEqual({ scrubbed: 0, pruned: aged - 2 });
    const left = await statuses();
    expect(left.filter((r) => r.old)).toEqual([
      { status: 'dead', old: true, n: 1 },
      { status: 'failed', old: true, n: 1 },
    ]);
    expect(left.filter((r) => !r.old).reduce((sum, r) => sum + r.n, 0)).toBe(2);
    const [{ orphans }] = (await queryRows<{ orphans: number }>(
      db,
      sql`select count(*)::int as orphans from event_attempts a where not exists (select 1 from events e where e.id = a.event_id)`,
    )) as [{ orphans: number }];
    expect(orphans).toBe(0);
    expect(await h.t.services.retentionSweep.runOnce()).toEqual({ scrubbed: 0, pruned: 0 });
  });

  it('refuses a retention shorter than 30 days, which a sender’s retries could outlast', () => {
    expect(() => loadConfig({ RECUR_EVENT_RETENTION_DAYS: '7' })).toThrow(/RECUR_EVENT_RETENTION_DAYS/);
  });
});
