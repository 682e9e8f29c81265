import { recordAudit } from '../audit/record.js';
import type { Db, DbOrTx } from '../db/client.js';
import {
  DISPUTE_POLICIES,
  type DisputePolicy,
  EARLY_FRAUD_WARNING_POLICIES,
  type EarlyFraudWarningPolicy,
  type FraudPolicies,
} from '../disputes/policy.js';
import { ConflictError } from '../http/errors.js';
import { planRepository } from '../plans/repository.js';
import { BrandingStore } from './branding.js';
import { settingsRepository as repo } from './repository.js';

export interface Settings {
  /** The scheduler runs an incremental sync every interval while this is on. */
  autoSyncEnabled: boolean;
  /** Off: the public plan catalog is read from the database on every request. */
  cacheEnabled: boolean;
  /** Audit rows older than this many days are pruned (by the worker, hourly); null keeps them all. */
  auditRetentionDays: number | null;
  /**
   * Stripe Tax: Checkout collects the address and tax ids and Stripe calculates tax on Checkout and
   * on the subscriptions Recur creates or changes. Turned on only where Stripe would calculate it.
   */
  taxEnabled: boolean;
  /** What a dispute does to access (see disputes/policy.ts). */
  disputePolicy: DisputePolicy;
  /** What an early fraud warning does. */
  earlyFraudWarningPolicy: EarlyFraudWarningPolicy;
}

const KEYS: Record<keyof Settings, string> = {
  autoSyncEnabled: 'auto_sync_enabled',
  cacheEnabled: 'cache_enabled',
  auditRetentionDays: 'audit_retention_days',
  taxEnabled: 'tax_enabled',
  disputePolicy: 'dispute_policy',
  earlyFraudWarningPolicy: 'early_fraud_warning_policy',
};

const oneOf =
  (values: readonly string[]) =>
  (value: unknown): boolean =>
    typeof value === 'string' && values.includes(value);

/** What a stored value must be to be used; anything else (a value of an older version) falls back to the default. */
const VALID: Record<keyof Settings, (value: unknown) => boolean> = {
  autoSyncEnabled: (value) => typeof value === 'boolean',
  cacheEnabled: (value) => typeof value === 'boolean',
  taxEnabled: (value) => typeof value === 'boolean',
  auditRetentionDays: (value) => typeof value === 'number' && Number.isInteger(value) && value >= 0,
  disputePolicy: oneOf(DISPUTE_POLICIES),
  earlyFraudWarningPolicy: oneOf(EARLY_FRAUD_WARNING_POLICIES),
};

const NAMES: Record<string, keyof Settings> = Object.fromEntries(
  Object.entries(KEYS).map(([name, key]) => [key, name as keyof Settings]),
);

/** Hot paths (every public catalog read) use a copy this old at most; a change reaches every instance within it. */
const MEMO_MS = 5_000;

/**
 * Operator switches that change without a restart. The database holds them, so every instance sees
 * the same values; the configuration only gives the value a switch has before anyone sets it.
 */
export class SettingsService {
  private memo: { values: Settings; at: number } | null = null;
  /** The product name, logo, accent colour and support contact the billing page and Checkout show. */
  readonly branding: BrandingStore;

  constructor(
    private readonly deps: {
      db: Db;
      defaults: Settings;
      /** Told what changed, after it is stored. */
      onChange?: (changed: Partial<Settings>) => Promise<void>;
      /** Why Stripe would not calculate tax for these Stripe prices now (none: it would). */
      taxRefusals?: (stripePriceIds: string[]) => Promise<string[]>;
    },
  ) {
    this.branding = new BrandingStore({ db: deps.db });
  }

  /** `fresh` skips the in-process copy: the scheduler asks the database at every tick. */
  async current(options: { fresh?: boolean } = {}): Promise<Settings> {
    if (!options.fresh && this.memo && Date.now() - this.memo.at < MEMO_MS) return this.memo.values;
    const stored = await repo.read(this.deps.db, Object.values(KEYS));
    const values = { ...this.deps.defaults };
    for (const name of Object.keys(KEYS) as Array<keyof Settings>) {
      const value = stored.get(KEYS[name]);
      if (!VALID[name](value)) continue;
      // No retention is stored as 0 (see update).
      if (name === 'auditRetentionDays') values.auditRetentionDays = (value as number) || null;
      else Object.assign(values, { [name]: value });
    }
    this.memo = { values, at: Date.now() };
    return values;
  }

  /** Drops the in-process copy: the next read asks the database (after its rows were replaced wholesale). */
  forget(): void {
    this.memo = null;
    this.branding.forget();
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const before = await this.current({ fresh: true });
    if (patch.taxEnabled === true && !before.taxEnabled) await this.assertTaxPossible();
    const writes = Object.fromEntries(
      (Object.keys(KEYS) as Array<keyof Settings>)
        .filter((name) => patch[name] !== undefined)
        // No retention is stored as 0: a setting's value column holds JSON, never SQL's null.
        .map((name) => [KEYS[name], patch[name] ?? 0]),
    );
    await this.deps.db.transaction(async (tx) => {
      await repo.write(tx, writes);
      const stored = await repo.read(tx, Object.keys(writes));
      await recordAudit(tx, {
        action: 'settings.update',
        objectType: 'settings',
        objectId: null,
        before: Object.fromEntries(Object.keys(writes).map((key) => [key, before[NAMES[key]!]])),
        after: Object.fromEntries(stored),
      });
    });
    const after = await this.current({ fresh: true });
    const changed = Object.fromEntries(
      (Object.keys(KEYS) as Array<keyof Settings>)
        .filter((name) => before[name] !== after[name])
        .map((name) => [name, after[name]]),
    ) as Partial<Settings>;
    if (Object.keys(changed).length) await this.deps.onChange?.(changed);
    return after;
  }

  /**
   * Refuses to turn tax on, before anything is stored, where Stripe would refuse to calculate it
   * for the prices Recur sells now.
   */
  private async assertTaxPossible(): Promise<void> {
    const plans = await planRepository.list(this.deps.db, 'active');
    const prices = plans.flatMap((plan) => plan.prices.map((price) => price.stripePriceId));
    const reasons = (await this.deps.taxRefusals?.(prices)) ?? ['Stripe Tax cannot be checked here'];
    if (reasons.length > 0)
      throw new ConflictError('tax_not_ready', `Tax cannot be turned on: ${reasons.join('; ')}`, { reasons });
  }

  /** Whether Stripe Tax is on, for Checkout and subscription writes (a copy at most MEMO_MS old). */
  readonly taxEnabled = async (): Promise<boolean> => (await this.current()).taxEnabled;

  /** For the plan catalog: whether to use its cache right now. */
  readonly cacheEnabled = async (): Promise<boolean> => (await this.current()).cacheEnabled;

  /**
   * For the event worker, in its transaction (the embedded database has one connection, which the
   * transaction holds): read each time, since what a dispute does is done at once and for good.
   */
  readonly fraudPolicies = async (tx: DbOrTx): Promise<FraudPolicies> => {
    const stored = await repo.read(tx, [KEYS.disputePolicy, KEYS.earlyFraudWarningPolicy]);
    const dispute = stored.get(KEYS.disputePolicy);
    const warning = stored.get(KEYS.earlyFraudWarningPolicy);
    return {
      dispute: VALID.disputePolicy(dispute) ? (dispute as DisputePolicy) : this.deps.defaults.disputePolicy,
      earlyFraudWarning: VALID.earlyFraudWarningPolicy(warning)
        ? (warning as EarlyFraudWarningPolicy)
        : this.deps.defaults.earlyFraudWarningPolicy,
    };
  };
}
