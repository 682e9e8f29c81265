/**
 * Fault switches: the ways Stripe misbehaves that Recur must survive, switchable per run in-process
 * (`emulator.faults.set({...})`) or over HTTP (`POST /_emulator/faults`). Every random choice
 * draws from one seeded generator, so a given seed fails the same requests every run.
 */
import { apiError, docUrlFor, rateLimited, StripeApiError, type StripeErrorBody } from './errors.js';
import { type Random, seededRandom } from './rng.js';

/**
 * "Fail the next `count` requests to METHOD path-prefix with this status and Stripe error", after
 * letting `after` of them through: a failure can be aimed at the second page of a listing without
 * waiting for the first to be answered.
 */
export interface FailureRule {
  method?: string;
  path: string;
  count?: number;
  after?: number;
  status: number;
  error: Partial<StripeErrorBody> & { type: StripeErrorBody['type'] };
}

export interface FaultSettings {
  /** Added to every API response, in milliseconds. */
  latencyMs: number;
  /** Requests per second above which the API answers 429 `rate_limit`; null for no limit. */
  rateLimitPerSecond: number | null;
  /** Share (0–1) of API requests answered with a 500 `api_error`. */
  errorRate: number;
  /** One-shot failures, consumed in order of declaration by the requests they match. */
  failNext: FailureRule[];
  /** Share (0–1) of webhook deliveries sent twice. */
  webhookDuplicateRate: number;
  /** Deliveries are held a random 0…window ms, so those within the window arrive shuffled. */
  webhookReorderWindowMs: number;
  seed: number;
}

export type FaultUpdate = Partial<FaultSettings>;

const DEFAULTS: FaultSettings = {
  latencyMs: 0,
  rateLimitPerSecond: null,
  errorRate: 0,
  failNext: [],
  webhookDuplicateRate: 0,
  webhookReorderWindowMs: 0,
  seed: 1,
};

function share(value: number, name: string): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1`);
  return value;
}

export class Faults {
  private settings: FaultSettings;
  private rng: Random;
  private tokens = 0;
  private refilledAt = 0;

  constructor(seed = DEFAULTS.seed) {
    this.settings = { ...DEFAULTS, failNext: [], seed };
    this.rng = seededRandom(seed);
  }

  get(): FaultSettings {
    return { ...this.settings, failNext: this.settings.failNext.map((rule) => ({ ...rule })) };
  }

  set(update: FaultUpdate): FaultSettings {
    const next = { ...this.settings, ...update };
    share(next.errorRate, 'errorRate');
    share(next.webhookDuplicateRate, 'webhookDuplicateRate');
    if (next.latencyMs < 0 || next.webhookReorderWindowMs < 0) throw new RangeError('durations must be ≥ 0');
    next.failNext = (update.failNext ?? this.settings.failNext).map((rule) => ({ count: 1, ...rule }));
    if (update.seed !== undefined) this.rng = seededRandom(update.seed);
    if (update.rateLimitPerSecond !== undefined) {
      this.tokens = update.rateLimitPerSecond ?? 0;
      this.refilledAt = Date.now();
    }
    this.settings = next;
    return this.get();
  }

  /** Adds one one-shot failure rule after those already waiting. */
  failNext(rule: FailureRule): void {
    this.settings.failNext.push({ count: 1, ...rule });
  }

  reset(): void {
    this.settings = { ...DEFAULTS, failNext: [], seed: this.settings.seed };
    this.rng = seededRandom(this.settings.seed);
  }

  random(): number {
    return this.rng();
  }

  get latencyMs(): number {
    return this.settings.latencyMs;
  }

  /** The failure this API request must get, if any: rate limit, then one-shot rules, then random 500s. */
  failureFor(method: string, path: string, nowMs: number): StripeApiError | null {
    if (this.overRateLimit(nowMs)) return rateLimited();
    const rules = this.settings.failNext;
    const index = rules.findIndex(
      (rule) => (!rule.method || rule.method.toUpperCase() === method) && path.startsWith(rule.path),
    );
    const rule = rules[index];
    if (rule?.after) rule.after--;
    else if (rule) {
      rule.count = (rule.count ?? 1) - 1;
      if (rule.count <= 0) rules.splice(index, 1);
      const body: StripeErrorBody = { message: 'Injected failure', ...rule.error };
      if (body.code && !body.doc_url) body.doc_url = docUrlFor(body.code);
      return new StripeApiError(rule.status, body);
    }
    if (this.settings.errorRate > 0 && this.rng() < this.settings.errorRate) return apiError();
    return null;
  }

  /** A token bucket holding one second of requests. */
  private overRateLimit(nowMs: number): boolean {
    const limit = this.settings.rateLimitPerSecond;
    if (!limit) return false;
    const elapsed = Math.max(0, nowMs - this.refilledAt) / 1000;
    this.tokens = Math.min(limit, this.tokens + elapsed * limit);
    this.refilledAt = nowMs;
    if (this.tokens < 1) return true;
    this.tokens -= 1;
    return false;
  }

  shouldDuplicateWebhook(): boolean {
    return this.settings.webhookDuplicateRate > 0 && this.rng() < this.settings.webhookDuplicateRate;
  }

  webhookHoldMs(): number {
    const window = this.settings.webhookReorderWindowMs;
    return window > 0 ? this.rng() * window : 0;
  }
}
