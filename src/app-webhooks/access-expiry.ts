import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { lockObject } from '../mirror/locks.js';
import type { ChangeAnnouncer } from './announcements.js';
import { wantedTypes } from './wanted-types.js';

const DAY_MS = 86_400_000;

/**
 * Access that ends by time alone, with no event to record it: a cancellation's date, or the end of
 * a past-due subscription's grace period (entitlements/rules.ts). Each user whose access ended in
 * the `lookbackDays` before `now` is told (every member, for an organisation's), once per ending: a run finds the same endings again
 * until they leave the window, and their messages' keys are taken.
 */
export async function announceExpiredAccess(
  db: Db,
  announcer: ChangeAnnouncer,
  options: { now: Date; graceDays: number; lookbackDays: number },
): Promise<number> {
  const { now, graceDays, lookbackDays } = options;
  if (!(await wantedTypes(db)).has('entitlements.updated')) return 0;
  const since = new Date(now.getTime() - lookbackDays * DAY_MS);
  const endings = await queryRows<{ user_id: string; customer_id: string; until: Date | string }>(
    db,
    sql`with access as (
          select s.customer_id,
                 case when s.status in ('active', 'trialing') then ends.at
                      else least(ends.at, s.current_period_start + make_interval(days => ${graceDays}::int))
                 end as until
          from subscriptions s
          cross join lateral (select coalesce(s.cancel_at,
            case when s.cancel_at_period_end then s.current_period_end end) as at) ends
          where s.status in ('active', 'trialing', 'past_due')
        )
        select coalesce(c.external_id, m.user_id) as user_id, c.id as customer_id, max(a.until) as until
        from access a join customers c on c.id = a.customer_id
        left join organization_members m on m.organization_id = c.organization_id
        where a.until <= ${now} and a.until > ${since} and not c.deleted
          and coalesce(c.external_id, m.user_id) is not null
        group by 1, c.id`,
  );
  let announced = 0;
  for (const ending of endings) {
    const told = await db.transaction(async (tx) => {
      // The owner's lock, as every write that announces the user's entitlements takes.
      await lockObject(tx, ending.customer_id);
      return announcer.announceExpiry(tx, ending.user_id, new Date(ending.until), now);
    });
    if (told) announced++;
  }
  return announced;
}
