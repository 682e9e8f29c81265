import { z } from 'zod';
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/client.js';
import { settingsRepository } from '../settings/repository.js';

const on = z.boolean().describe('Whether the rule is evaluated');
const count = (max: number) => z.number().int().min(1).max(max);

/** Every rule's thresholds; the README ("Alerts") says what each means. */
export const alertRuleSettingsSchema = z.object({
  dead_letters: z.object({
    enabled: on,
    min_count: count(1_000_000).describe('Dead-lettered events in the inbox that open an incident'),
  }),
  signature_failures: z.object({
    enabled: on,
    count: count(1_000_000).describe('Refused Stripe webhook signatures …'),
    window_seconds: count(86_400).describe('… within this many seconds, all instances together'),
  }),
  processing_lag: z.object({
    enabled: on,
    seconds: count(86_400 * 7).describe('Age of the oldest event waiting to be processed'),
  }),
  sync_failed: z.object({ enabled: on }),
  payment_failure_rate: z.object({
    enabled: on,
    window_hours: count(24 * 7).describe('The recent window whose failed-payment rate is judged'),
    baseline_days: count(365).describe('The usual rate: the days before the window'),
    min_attempts: count(1_000_000).describe('Payment attempts the window needs before it is judged'),
    factor: z.number().min(1).max(100).describe('Fires at this multiple of the usual rate …'),
    min_rate: z.number().min(0).max(1).describe('… and never below this rate (0.1 = 10%)'),
  }),
  dispute: z.object({
    enabled: on,
    lookback_days: count(3650).describe('Disputes opened within this many days count while not closed'),
  }),
  app_webhook_failing: z.object({
    enabled: on,
    minutes: count(60 * 24 * 30).describe('Minutes an endpoint has failed every delivery'),
  }),
});

export type AlertRuleSettings = z.infer<typeof alertRuleSettingsSchema>;

const shape = alertRuleSettingsSchema.shape;

/** A change: any rules, any of their fields; anything unknown is refused. */
export const alertRulePatchSchema = z
  .object({
    dead_letters: shape.dead_letters.partial().strict().optional(),
    signature_failures: shape.signature_failures.partial().strict().optional(),
    processing_lag: shape.processing_lag.partial().strict().optional(),
    sync_failed: shape.sync_failed.partial().strict().optional(),
    payment_failure_rate: shape.payment_failure_rate.partial().strict().optional(),
    dispute: shape.dispute.partial().strict().optional(),
    app_webhook_failing: shape.app_webhook_failing.partial().strict().optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one rule');

export type AlertRulePatch = z.infer<typeof alertRulePatchSchema>;

const KEY = 'alert_rules';
const RULE_NAMES = Object.keys(shape) as Array<keyof AlertRuleSettings>;

/** `base` with each rule's fields from `over` laid on top; a rule that would not be valid keeps `base`'s. */
function merge(base: AlertRuleSettings, over: unknown): AlertRuleSettings {
  const stored = over && typeof over === 'object' ? (over as Record<string, unknown>) : {};
  const merged: Record<string, unknown> = {};
  for (const name of RULE_NAMES) {
    const candidate = { ...base[name], ...(stored[name] as object | undefined) };
    merged[name] = shape[name].safeParse(candidate).success ? candidate : base[name];
  }
  return merged as AlertRuleSettings;
}

/**
 * The rules' thresholds: the database holds what admins changed (every instance reads the same),
 * the configuration the rest. Read fresh at each evaluation, so a change needs no restart.
 */
export class AlertRuleStore {
  constructor(private readonly deps: { db: Db; defaults: AlertRuleSettings }) {}

  async current(): Promise<AlertRuleSettings> {
    const stored = await settingsRepository.read(this.deps.db, [KEY]);
    return merge(this.deps.defaults, stored.get(KEY));
  }

  async update(patch: AlertRulePatch): Promise<AlertRuleSettings> {
    return this.deps.db.transaction(async (tx) => {
      // Under the row's lock, so two admins' changes to different rules both stay.
      await settingsRepository.insertIfAbsent(tx, KEY, {});
      const [stored] = await settingsRepository.readForUpdate(tx, KEY);
      const before = merge(this.deps.defaults, stored);
      const next = merge(before, patch);
      await settingsRepository.write(tx, { [KEY]: next });
      await recordAudit(tx, {
        action: 'alert_rules.update',
        objectType: 'setting',
        objectId: KEY,
        before,
        after: next,
      });
      return next;
    });
  }
}
