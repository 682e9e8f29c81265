import type { AlertRuleSettings } from './alerts/rule-settings.js';
import { configSchema } from './config-schema.js';
import type { Config } from './config-shape.js';
import { decodeKey, deploymentNamespace, stripeModeOfKey } from './config-values.js';

export type { StripeMode } from './config-values.js';

/*
 * The one reader of `process.env`: the variables and their defaults are in config-schema.ts, the
 * typed settings they become in config-shape.ts.
 */

export { configSchema } from './config-schema.js';
export type { Config } from './config-shape.js';

/**
 * The alert rules' thresholds until an admin changes them (PUT /api/admin/alerts/rules); README,
 * "Alerts", says what each one means.
 */
export const ALERT_RULE_DEFAULTS: AlertRuleSettings = {
  dead_letters: { enabled: true, min_count: 1 },
  signature_failures: { enabled: true, count: 20, window_seconds: 300 },
  processing_lag: { enabled: true, seconds: 300 },
  sync_failed: { enabled: true },
  payment_failure_rate: {
    enabled: true,
    window_hours: 24,
    baseline_days: 30,
    min_attempts: 20,
    factor: 2,
    min_rate: 0.1,
  },
  dispute: { enabled: true, lookback_days: 120 },
  app_webhook_failing: { enabled: true, minutes: 60 },
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment; throws ConfigError with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.keys(configSchema.shape)
      .filter((name) => env[name] !== undefined && env[name] !== '')
      .map((name) => [name, env[name]]),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `${name} ${issue.message.startsWith('is ') ? issue.message : `is invalid: ${issue.message}`}`;
    });
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.RECUR_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.RECUR_DATABASE_POOL_SIZE,
    queueUrl: e.QUEUE_URL,
    queueName: e.RECUR_QUEUE_NAME,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.RECUR_REDIS_PREFIX ?? deploymentNamespace(e.DATABASE_URL, e.RECUR_DATA_DIR),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.RECUR_TRUST_PROXY,
    http: {
      requestTimeoutMs: e.RECUR_HTTP_REQUEST_TIMEOUT * 1000,
      headersTimeoutMs: e.RECUR_HTTP_HEADERS_TIMEOUT * 1000,
      keepAliveTimeoutMs: e.RECUR_HTTP_KEEP_ALIVE_TIMEOUT * 1000,
      maxConnections: e.RECUR_HTTP_MAX_CONNECTIONS,
    },
    events: {
      processingPaused: e.RECUR_PROCESSING_PAUSED,
      workerConcurrency: e.RECUR_WORKER_CONCURRENCY,
      workerBatchWindowMs: e.RECUR_WORKER_BATCH_WINDOW_MS,
      maxAttempts: e.RECUR_EVENT_MAX_ATTEMPTS,
      retentionDays: e.RECUR_EVENT_RETENTION_DAYS,
      retentionSweepIntervalSeconds: e.RECUR_RETENTION_SWEEP_INTERVAL,
      workerInServe: e.RECUR_RUN_WORKER ?? !e.DATABASE_URL,
    },
    stripe: {
      secretKey: e.STRIPE_SECRET_KEY,
      apiBase: e.STRIPE_API_BASE,
      webhookSecrets: e.STRIPE_WEBHOOK_SECRET?.split(',') ?? [],
      mode: e.STRIPE_SECRET_KEY ? stripeModeOfKey(e.STRIPE_SECRET_KEY) : 'test',
      emulated: !e.STRIPE_SECRET_KEY,
      emulatorPort: e.RECUR_EMULATOR_PORT,
      syncIntervalSeconds: e.STRIPE_SYNC_INTERVAL,
      syncMaxRetries: e.STRIPE_SYNC_MAX_RETRIES,
      syncRetryDelaySeconds: e.STRIPE_SYNC_RETRY_DELAY,
      syncRequestsPerSecond:
        e.STRIPE_SYNC_RATE ??
        (e.STRIPE_SECRET_KEY && stripeModeOfKey(e.STRIPE_SECRET_KEY) === 'live' ? 80 : 20),
      webhookRateLimitPerMinute: e.STRIPE_WEBHOOK_RATE_LIMIT,
      webhookRefusedRateLimitPerMinute: e.RECUR_WEBHOOK_REFUSED_RATE_LIMIT,
      cacheTtlSeconds: e.STRIPE_CACHE_TTL,
      autoSyncEnabled: e.STRIPE_AUTO_SYNC_ENABLED,
    },
    encryptionKeys: e.RECUR_ENCRYPTION_KEY?.split(',').map((k) => decodeKey(k)!) ?? [],
    adminApiKey: e.RECUR_ADMIN_API_KEY,
    apiKeyCacheMs: e.RECUR_API_KEY_CACHE_SECONDS * 1000,
    jwt: {
      secret: e.RECUR_JWT_SECRET,
      jwksUrl: e.RECUR_JWT_JWKS_URL,
      audience: e.RECUR_JWT_AUDIENCE,
      issuer: e.RECUR_JWT_ISSUER,
    },
    billing: {
      appUrl: e.RECUR_APP_URL,
      redirectOrigins: [
        new URL(e.RECUR_APP_URL).origin,
        ...(e.RECUR_REDIRECT_ORIGINS?.split(',').map((o) => new URL(o.trim()).origin) ?? []),
      ],
      paymentWebhookSecret: e.RECUR_PAYMENT_WEBHOOK_SECRET,
      publicUrl: e.RECUR_PUBLIC_URL && new URL(e.RECUR_PUBLIC_URL).origin,
      linkSecret: e.RECUR_BILLING_LINK_SECRET,
      entitlementGraceDays: e.RECUR_ENTITLEMENT_GRACE_DAYS,
      disputePolicy: e.RECUR_DISPUTE_POLICY,
      earlyFraudWarningPolicy: e.RECUR_EARLY_FRAUD_WARNING_POLICY,
      overdueCheckIntervalSeconds: e.RECUR_OVERDUE_CHECK_INTERVAL,
    },
    usage: {
      pastWindowDays: e.RECUR_USAGE_PAST_WINDOW_DAYS,
      reservationTtlSeconds: e.RECUR_USAGE_RESERVATION_TTL,
      warnPercent: e.RECUR_USAGE_WARN_PERCENT,
    },
    notifications: {
      smtpUrl: e.SMTP_URL,
      from: e.RECUR_NOTIFY_FROM,
      adminEmails: e.RECUR_ADMIN_EMAILS?.split(',').map((a) => a.trim()) ?? [],
    },
    metering: { reportIntervalSeconds: e.RECUR_METER_REPORT_INTERVAL },
    alerts: {
      webhookUrl: e.RECUR_ALERT_WEBHOOK_URL,
      intervalSeconds: e.RECUR_ALERT_INTERVAL,
      ruleDefaults: ALERT_RULE_DEFAULTS,
    },
    appWebhooks: {
      allowPrivate: e.RECUR_WEBHOOKS_ALLOW_PRIVATE ?? !e.DATABASE_URL,
      requireHttps: e.STRIPE_SECRET_KEY !== undefined && stripeModeOfKey(e.STRIPE_SECRET_KEY) === 'live',
      timeoutMs: e.RECUR_WEBHOOKS_TIMEOUT_SECONDS * 1000,
      leaseMs: e.RECUR_WEBHOOKS_LEASE_SECONDS * 1000,
      pollIntervalMs: e.RECUR_WEBHOOKS_POLL_INTERVAL_MS,
      concurrency: e.RECUR_WEBHOOKS_CONCURRENCY,
      endpointConcurrency: e.RECUR_WEBHOOKS_ENDPOINT_CONCURRENCY,
    },
  };
}

/** Environment names tests read to run suites against real servers; read here, like every other. */
export function loadTestTargets(env: NodeJS.ProcessEnv = process.env) {
  return {
    databaseUrl: env.TEST_DATABASE_URL || undefined,
    redisUrl: env.TEST_REDIS_URL || undefined,
    amqpUrl: env.TEST_AMQP_URL || undefined,
    /** `CI=true` (as `.ci/run` sets it): a test that lacks a tool it needs fails rather than skips. */
    ci: env.CI === 'true',
  };
}

/**
 * The fuzz suite's size and seed: `npm test` runs 300 cases of a fixed seed; a longer run
 * (FUZZ_RUNS) without FUZZ_SEED picks a new seed, which the test's name prints for a replay.
 */
export function loadFuzzSettings(env: NodeJS.ProcessEnv = process.env, now: () => number = Date.now) {
  const runs = env.FUZZ_RUNS ? Number(env.FUZZ_RUNS) : 300;
  const seed = env.FUZZ_SEED ? Number(env.FUZZ_SEED) : env.FUZZ_RUNS ? now() % 2 ** 31 : 1406;
  if (!Number.isInteger(runs) || runs < 1)
    throw new ConfigError(`FUZZ_RUNS must be a positive integer, got '${env.FUZZ_RUNS}'`);
  if (!Number.isInteger(seed)) throw new ConfigError(`FUZZ_SEED must be an integer, got '${env.FUZZ_SEED}'`);
  return { runs, seed };
}

/** This process's environment with some variables set: for starting Recur's own child processes. */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

function benchSize(value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`bench size must be a positive integer, got '${value}'`);
  return n;
}

/** Where `npm run bench` finds PostgreSQL (it creates and drops a database of its own there). */
export function loadBenchTargets(env: NodeJS.ProcessEnv = process.env) {
  return {
    databaseUrl: env.BENCH_DATABASE_URL || env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    amqpUrl: env.BENCH_AMQP_URL || env.TEST_AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672',
    /** Sizes of bench/reports.ts; the defaults are the issue's targets. */
    reportSubscriptions: benchSize(env.BENCH_REPORT_SUBSCRIPTIONS, 1_000_000),
    reportInvoices: benchSize(env.BENCH_REPORT_INVOICES, 10_000_000),
  };
}
