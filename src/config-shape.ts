import type { z } from 'zod';
import type { AlertRuleSettings } from './alerts/rule-settings.js';
import type { configSchema } from './config-schema.js';
import type { StripeMode } from './config-values.js';

/** The settings as the rest of Recur reads them, made by loadConfig from the environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  queueUrl: string | undefined;
  queueName: string;
  redisUrl: string | undefined;
  /** Every Redis key starts with it and a colon. */
  redisPrefix: string;
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
  /** false, a number of proxy hops, or proxy addresses/CIDRs (Fastify's `trustProxy`). */
  trustProxy: false | number | string[];
  http: {
    requestTimeoutMs: number;
    headersTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxConnections: number;
  };
  events: {
    processingPaused: boolean;
    workerConcurrency: number;
    workerBatchWindowMs: number;
    maxAttempts: number;
    workerInServe: boolean;
    /** Undefined: every event is kept. */
    retentionDays: number | undefined;
    retentionSweepIntervalSeconds: number;
  };
  stripe: {
    /** Unset: Recur starts the built-in emulator and talks to it. */
    secretKey: string | undefined;
    apiBase: string | undefined;
    webhookSecrets: string[];
    mode: StripeMode;
    emulated: boolean;
    emulatorPort: number;
    syncIntervalSeconds: number;
    syncMaxRetries: number;
    syncRetryDelaySeconds: number;
    /** Pace of a sync's Stripe requests, under Stripe's limit (about 25/s test, 100/s live). */
    syncRequestsPerSecond: number;
    /** Per client address, for the Stripe and the payment webhook alike: signed deliveries… */
    webhookRateLimitPerMinute: number;
    /** …and, counted apart, requests whose signature is missing or wrong. */
    webhookRefusedRateLimitPerMinute: number;
    cacheTtlSeconds: number;
    autoSyncEnabled: boolean;
  };
  /** Empty: the embedded default, a generated key file in the data folder. */
  encryptionKeys: Buffer[];
  adminApiKey: string | undefined;
  /** How long (ms) a process trusts an API key it found valid; 0: not at all. */
  apiKeyCacheMs: number;
  jwt: {
    secret: string | undefined;
    jwksUrl: string | undefined;
    audience: string | undefined;
    issuer: string | undefined;
  };
  billing: {
    appUrl: string;
    /** Origins return URLs may point at: the app's own and RECUR_REDIRECT_ORIGINS. */
    redirectOrigins: string[];
    paymentWebhookSecret: string | undefined;
    /** RECUR_PUBLIC_URL's origin; undefined: the address `recur serve` binds. */
    publicUrl: string | undefined;
    /** Undefined: a generated secret kept in the database. */
    linkSecret: string | undefined;
    entitlementGraceDays: number;
    overdueCheckIntervalSeconds: number;
    /** The defaults of the `dispute_policy` and `early_fraud_warning_policy` settings. */
    disputePolicy: 'freeze' | 'cancel' | 'none';
    earlyFraudWarningPolicy: 'none' | 'refund_and_cancel';
  };
  usage: {
    /** Days in the past a usage event's timestamp may be. */
    pastWindowDays: number;
    reservationTtlSeconds: number;
    /** The warning threshold, percent of a limit (100% is always announced). */
    warnPercent: number;
  };
  notifications: {
    smtpUrl: string | undefined;
    from: string;
    /** Who receives alerts for the people running Recur; empty: alerts are logged only. */
    adminEmails: string[];
  };
  /** Overage (`overage: bill`) reported to Stripe's Billing Meters. */
  metering: {
    reportIntervalSeconds: number;
  };
  alerts: {
    /** Slack-compatible incoming webhook; a secret. */
    webhookUrl: string | undefined;
    intervalSeconds: number;
    /** Each rule's thresholds until an admin changes them (stored in settings). */
    ruleDefaults: AlertRuleSettings;
  };
  /** Webhooks to the host app. */
  appWebhooks: {
    /** Endpoints may target loopback, private and link-local addresses (local set-ups). */
    allowPrivate: boolean;
    /** Endpoints must use https: (with a live Stripe key). */
    requireHttps: boolean;
    /** How long one delivery attempt may take. */
    timeoutMs: number;
    /** How long claimed deliveries stay with their dispatcher (a dead one's are retried after it). */
    leaseMs: number;
    pollIntervalMs: number;
    /** Deliveries in flight per process, and per endpoint within it. */
    concurrency: number;
    endpointConcurrency: number;
  };
}
