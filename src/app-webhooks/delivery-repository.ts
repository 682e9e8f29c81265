import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { SealedEndpointSecrets } from './signing.js';

/** A delivery taken by one dispatcher, with what sending it needs. */
export interface ClaimedDelivery extends SealedEndpointSecrets {
  id: string;
  messageId: string;
  endpointId: string;
  /** Attempts recorded before this one. */
  attempts: number;
  /** When the first of them was made; null for a first attempt. */
  firstAttemptedAt: Date | null;
  body: string;
  url: string;
}

export interface ClaimRequest {
  now: Date;
  /** Claimed deliveries are left alone by every dispatcher until then. */
  leaseUntil: Date;
  /** Deliveries at most, all endpoints together. */
  limit: number;
  /** Deliveries at most per endpoint, counting those this dispatcher still has in flight (`busy`). */
  perEndpoint: number;
  busy: Record<string, number>;
}

export interface AttemptRecord {
  deliveryId: string;
  endpointId: string;
  attemptedAt: Date;
  durationMs: number;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
  succeeded: boolean;
  /** After a failure: when to try again, or null to give the delivery up. */
  retryAt: Date | null;
  /** After a failure: an endpoint failing since this time or earlier is disabled. */
  disableIfFailingSince: Date;
}

interface ClaimedRow {
  id: string;
  message_id: string;
  endpoint_id: string;
  attempts: number;
  first_attempted_at: Date | string | null;
  body: string;
  url: string;
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  previous_secret_expires_at: Date | string | null;
}

export const deliveryRepository = {
  /**
   * Takes due deliveries endpoint by endpoint (in random order, so none is always last), each
   * endpoint's share capped, and leases them in the same statement: `SKIP LOCKED` lets several
   * dispatchers claim side by side without taking one delivery twice, and a dispatcher that dies
   * mid-send leaves its claims to be retried once the lease ends. Deliveries to a disabled endpoint
   * wait (a `ping`, the console's test, still goes).
   */
  async claimDue(db: Db, request: ClaimRequest): Promise<ClaimedDelivery[]> {
    const rows = await queryRows<ClaimedRow>(
      db,
      sql`with claimed as (
        select d.id
        from (select id, enabled from app_webhook_endpoints order by random()) e
        cross join lateral (
          select d.id from app_webhook_deliveries d
          where d.endpoint_id = e.id and d.status = 'pending' and d.next_attempt_at <= ${request.now}
            and (e.enabled or exists (
              select 1 from app_webhook_messages m where m.id = d.message_id and m.type = 'ping'))
          order by d.next_attempt_at
          limit greatest(0, ${request.perEndpoint}
            - coalesce((${JSON.stringify(request.busy)}::jsonb ->> e.id)::int, 0))
          for update of d skip locked
        ) d
        limit ${request.limit}
      )
      update app_webhook_deliveries d set next_attempt_at = ${request.leaseUntil}
      from claimed, app_webhook_messages m, app_webhook_endpoints e
      where d.id = claimed.id and m.id = d.message_id and e.id = d.endpoint_id
      returning d.id, d.message_id, d.endpoint_id, d.attempts, m.body, e.url,
        (select min(a.attempted_at) from app_webhook_attempts a where a.delivery_id = d.id)
          as first_attempted_at,
        e.secret_encrypted, e.previous_secret_encrypted, e.previous_secret_expires_at`,
    );
    return rows.map((r) => ({
      id: r.id,
      messageId: r.message_id,
      endpointId: r.endpoint_id,
      attempts: r.attempts,
      firstAttemptedAt: r.first_attempted_at === null ? null : new Date(r.first_attempted_at),
      body: r.body,
      url: r.url,
      secretEncrypted: r.secret_encrypted,
      previousSecretEncrypted: r.previous_secret_encrypted,
      previousSecretExpiresAt:
        r.previous_secret_expires_at === null ? null : new Date(r.previous_secret_expires_at),
    }));
  },

  /**
   * Logs one attempt and moves its delivery and endpoint on, in one statement (one round trip, and
   * atomic): a success ends the delivery and the endpoint's failing streak; a failure schedules the
   * next try (or gives up) and starts the streak, disabling the endpoint once it is long enough. A
   * delivery already ended (by a dispatcher whose lease had run out) keeps its end. Whether this
   * attempt disabled the endpoint.
   */
  async recordAttempt(db: Db, attempt: AttemptRecord): Promise<{ disabledEndpoint: boolean }> {
    const at = attempt.attemptedAt;
    // Committed without waiting for the WAL flush: a record a crash loses leaves its delivery
    // pending, sent again once the lease ends (delivered at least once, still recorded once).
    const logged = sql`insert into app_webhook_attempts
        (delivery_id, attempted_at, duration_ms, status_code, response_body, error, succeeded)
      select ${attempt.deliveryId}, ${at}, ${attempt.durationMs}, ${attempt.statusCode},
        ${attempt.responseBody}, ${attempt.error}, ${attempt.succeeded}
      from (select set_config('synchronous_commit', 'off', true)) as durability`;
    if (attempt.succeeded) {
      await db.execute(sql`with logged as (${logged}),
        delivered as (update app_webhook_deliveries
          set status = 'succeeded', delivered_at = ${at}, last_attempt_at = ${at}, attempts = attempts + 1
          where id = ${attempt.deliveryId} and status = 'pending')
        update app_webhook_endpoints set failing_since = null
        where id = ${attempt.endpointId} and failing_since is not null`);
      return { disabledEndpoint: false };
    }
    const moved = attempt.retryAt ? sql`next_attempt_at = ${attempt.retryAt}` : sql`status = 'failed'`;
    const cutoff = attempt.disableIfFailingSince;
    // `before` is read under the row's lock, so of two failures at once only one sees it enabled.
    const rows = await queryRows<{ just_disabled: boolean }>(
      db,
      sql`with logged as (${logged}),
        retried as (update app_webhook_deliveries
          set last_attempt_at = ${at}, attempts = attempts + 1, ${moved}
          where id = ${attempt.deliveryId} and status = 'pending'),
        before as (select id, enabled, failing_since from app_webhook_endpoints
          where id = ${attempt.endpointId} for update),
        giving_up as (select id, enabled and coalesce(failing_since <= ${cutoff}, false) as now from before)
      update app_webhook_endpoints e
      set failing_since = coalesce(b.failing_since, ${at}),
        enabled = e.enabled and not g.now,
        disabled_reason = case when g.now then 'failing' else e.disabled_reason end,
        updated_at = case when g.now then ${at} else e.updated_at end
      from before b, giving_up g
      where e.id = b.id and g.id = b.id
      returning g.now as just_disabled`,
    );
    return { disabledEndpoint: rows.some((r) => r.just_disabled) };
  },
};
