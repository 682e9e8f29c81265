import type { DbOrTx } from '../db/client.js';
import type { AlertRule } from '../db/schema/index.js';
import { eventRepository } from '../events/repository.js';
import { formatAmount } from '../notifications/messages.js';
import type { PiiCipher } from '../shared/crypto.js';
import { conditionsRepository as conditions } from './conditions-repository.js';
import type { AlertRuleSettings } from './rule-settings.js';

/** A condition found true: its subject (`key`, '' when the rule has one), a line for a person, the figures. */
export interface Finding {
  key: string;
  summary: string;
  details: Record<string, unknown>;
}

export const STRIPE_SIGNATURE_SIGNAL = 'stripe_webhook_signature';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** What a rule may need besides the database: event payloads are encrypted at rest. */
export interface JudgeContext {
  cipher: PiiCipher;
}

type Judge<R extends AlertRule> = (
  db: DbOrTx,
  settings: R extends keyof AlertRuleSettings ? AlertRuleSettings[R] : never,
  now: Date,
  ctx: JudgeContext,
) => Promise<Finding[]>;

interface DisputeFacts {
  amount?: number;
  currency?: string;
  reason?: string;
  charge?: string | { id?: string };
  evidence_details?: { due_by?: number | null };
}

/** The dispute's amount, reason and evidence deadline, from the event Stripe sent: no personal data. */
function disputeFinding(
  dispute: { disputeId: string; openedAt: Date; payload: string },
  cipher: PiiCipher,
): Finding {
  let facts: DisputeFacts = {};
  try {
    facts = cipher.decryptJson<{ data?: { object?: DisputeFacts } }>(dispute.payload).data?.object ?? {};
  } catch {
    // A payload that cannot be read still makes an alert, with the dispute's id alone.
  }
  const amount =
    typeof facts.amount === 'number' && typeof facts.currency === 'string'
      ? formatAmount(facts.amount, facts.currency)
      : null;
  const due = facts.evidence_details?.due_by
    ? new Date(facts.evidence_details.due_by * 1000).toISOString()
    : null;
  const parts = [
    amount,
    facts.reason ? `reason: ${facts.reason}` : null,
    due ? `evidence due ${due.slice(0, 10)}` : null,
  ];
  const said = parts.filter((p): p is string => p !== null).join(', ');
  return {
    key: dispute.disputeId,
    summary: `A customer disputed a payment (${dispute.disputeId}${said ? `; ${said}` : ''})`,
    details: {
      dispute_id: dispute.disputeId,
      charge_id: typeof facts.charge === 'string' ? facts.charge : (facts.charge?.id ?? null),
      amount: facts.amount ?? null,
      currency: facts.currency ?? null,
      reason: facts.reason ?? null,
      evidence_due_by: due,
      opened_at: dispute.openedAt.toISOString(),
    },
  };
}

/**
 * The failed-payment rate of the last `window_hours` (failed attempts over all attempts, as
 * Stripe's `invoice.payment_failed` and `invoice.payment_succeeded` events), judged once the
 * window holds `min_attempts`: it fires at `factor` times the usual rate, the rate of the
 * `baseline_days` before the window, and never below `min_rate`. A baseline with fewer than
 * `min_attempts` attempts is not known, and then `min_rate` alone decides.
 */
export const paymentFailureRate: Judge<'payment_failure_rate'> = async (db, s, now) => {
  const windowStart = new Date(now.getTime() - s.window_hours * HOUR);
  const since = new Date(windowStart.getTime() - s.baseline_days * DAY);
  const { window, baseline } = await conditions.paymentAttempts(db, since, windowStart);
  if (window.total < s.min_attempts) return [];
  const rate = window.failed / window.total;
  const usual = baseline.total >= s.min_attempts ? baseline.failed / baseline.total : null;
  const threshold = Math.max(s.min_rate, usual === null ? 0 : usual * s.factor);
  if (rate < threshold || window.failed === 0) return [];
  return [
    {
      key: '',
      summary: `${percent(rate)} of payments failed in the last ${s.window_hours} h (${window.failed} of ${window.total}); usual: ${usual === null ? 'not known yet' : percent(usual)}`,
      details: {
        failed: window.failed,
        attempts: window.total,
        rate,
        usual_rate: usual,
        threshold,
        baseline_attempts: baseline.total,
      },
    },
  ];
};

export const RULES: { [R in AlertRule]: Judge<R> } = {
  dead_letters: async (db, s) => {
    const dead = await conditions.deadLetters(db);
    if (dead.count < s.min_count) return [];
    return [
      {
        key: '',
        summary: `${dead.count} event${dead.count === 1 ? ' is' : 's are'} dead-lettered in the inbox`,
        details: { dead: dead.count, oldest_received_at: dead.oldest?.toISOString() ?? null },
      },
    ];
  },

  signature_failures: async (db, s, now) => {
    const since = new Date(now.getTime() - s.window_seconds * 1000);
    const refused = await conditions.signalCount(db, STRIPE_SIGNATURE_SIGNAL, since);
    if (refused < s.count) return [];
    return [
      {
        key: '',
        summary: `${refused} Stripe webhook requests with a bad signature in ${s.window_seconds} s`,
        details: { refused, window_seconds: s.window_seconds },
      },
    ];
  },

  processing_lag: async (db, s, now) => {
    const oldest = await eventRepository.oldestWaiting(db);
    const lag = oldest ? Math.round((now.getTime() - oldest.getTime()) / 1000) : 0;
    if (lag < s.seconds) return [];
    return [
      {
        key: '',
        summary: `The oldest unprocessed event has waited ${lag} s`,
        details: { lag_seconds: lag, oldest_received_at: oldest!.toISOString() },
      },
    ];
  },

  sync_failed: async (db) => {
    const run = await conditions.latestFinishedSync(db);
    if (run?.status !== 'failed') return [];
    return [
      {
        key: '',
        summary: `The latest sync from Stripe failed: ${(run.error ?? 'no error recorded').slice(0, 300)}`,
        details: { sync_run_id: run.id, finished_at: run.finishedAt?.toISOString() ?? null },
      },
    ];
  },

  payment_failure_rate: paymentFailureRate,

  dispute: async (db, s, now, { cipher }) => {
    const open = await conditions.openDisputes(db, new Date(now.getTime() - s.lookback_days * DAY));
    return open.map((d) => disputeFinding(d, cipher));
  },

  app_webhook_failing: async (db, s, now) => {
    const failing = await conditions.failingEndpoints(db, new Date(now.getTime() - s.minutes * 60_000));
    return failing.map((e) => {
      // The host only: a URL's path or query may hold a token of the host app.
      const host = new URL(e.url).host;
      return {
        key: e.id,
        summary: e.enabled
          ? `Webhook endpoint ${e.id} (${host}) has failed every delivery since ${e.failingSince?.toISOString()}`
          : `Webhook endpoint ${e.id} (${host}) was disabled: every delivery failed for five days`,
        details: {
          endpoint_id: e.id,
          host,
          enabled: e.enabled,
          failing_since: e.failingSince?.toISOString() ?? null,
        },
      };
    });
  },
};
