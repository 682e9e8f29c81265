import { z } from 'zod';
import {
  bool,
  decodeKey,
  isOrigin,
  seconds,
  stripeModeOfKey,
  trustProxySetting,
  url,
  webhookSecretMode,
} from './config-values.js';

/**
 * Every environment variable Recur reads, with its documented default: `recur serve` runs with
 * none set (embedded PGlite, in-process queue, in-memory cache and the built-in Stripe emulator),
 * and each one set switches one concern to its production engine. Read by `loadConfig` (config.ts).
 */
export const configSchema = z
  .object({
    /** HTTP port of `recur serve`. */
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Interface to listen on. */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Port of the built-in Stripe emulator when no STRIPE_SECRET_KEY is set (0 picks a free one). */
    RECUR_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(12111),
    /** PostgreSQL connection string; unset means embedded PGlite in `RECUR_DATA_DIR`. */
    DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
    /** Connections per process to PostgreSQL. */
    RECUR_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    /** Folder for embedded data: the PGlite database and the emulator's snapshot. */
    RECUR_DATA_DIR: z.string().min(1).default('./.recur'),
    /** `amqp://` (RabbitMQ) or `redis://` (Redis Streams); unset means the database inbox. */
    QUEUE_URL: url(['amqp:', 'amqps:', 'redis:', 'rediss:']).optional(),
    /** Queue (RabbitMQ) or stream (Redis) name; one per Recur deployment sharing a broker. */
    RECUR_QUEUE_NAME: z
      .string()
      .regex(/^[\w.:-]{1,200}$/, 'expected letters, digits and . : - _')
      .default('recur.events'),
    /** Redis for the shared cache and rate limits; unset means in-memory. */
    REDIS_URL: url(['redis:', 'rediss:']).optional(),
    /**
     * Start of every Redis key (cache, rate limits), one per deployment sharing a Redis; unset:
     * derived from the database, so every instance of one deployment agrees without being told.
     */
    RECUR_REDIS_PREFIX: z
      .string()
      .regex(/^[\w.:-]{1,100}$/, 'expected up to 100 letters, digits and . : - _')
      .optional(),
    /** Stripe secret or restricted key; unset means the built-in Stripe emulator. */
    STRIPE_SECRET_KEY: z
      .string()
      .regex(
        /^(sk|rk)_(test|live)_\w+$/,
        'expected a key starting with sk_test_, rk_test_, sk_live_ or rk_live_',
      )
      .optional(),
    /**
     * A Stripe-compatible API other than api.stripe.com, e.g. `recur emulator` on another host;
     * needs STRIPE_SECRET_KEY (any test key).
     */
    STRIPE_API_BASE: url(['http:', 'https:']).optional(),
    /** Signing secret(s) of the webhook endpoint, comma-separated during a rotation. */
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_\w+(,whsec_\w+)*$/, 'expected whsec_… (comma-separated during a rotation)')
      .optional(),
    /** Seconds between scheduled catalog and billing syncs from Stripe. */
    STRIPE_SYNC_INTERVAL: seconds.default(21600),
    /** Attempts per failing Stripe call during a sync. */
    STRIPE_SYNC_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(3),
    /** First retry delay of a failing sync call in seconds (fractions allowed); doubles each attempt. */
    STRIPE_SYNC_RETRY_DELAY: z.coerce
      .number({ message: 'expected a number of seconds' })
      .positive()
      .default(300),
    /** Stripe requests per second a sync sends; unset: 80 with a live key, 20 in test mode and the emulator. */
    STRIPE_SYNC_RATE: z.coerce
      .number({ message: 'expected requests per second' })
      .positive()
      .max(100)
      .optional(),
    /**
     * Correctly signed webhook deliveries per minute accepted from one client address. Stripe
     * delivers from about a dozen addresses, so the default (500/s from each) admits a busy
     * account's bursts; a replayed signed body costs a duplicate check.
     */
    STRIPE_WEBHOOK_RATE_LIMIT: z.coerce.number().int().positive().default(30_000),
    /** Webhook requests with a missing or wrong signature per minute from one address, counted apart. */
    RECUR_WEBHOOK_REFUSED_RATE_LIMIT: z.coerce.number().int().positive().default(20),
    /** Seconds the public plan catalog stays cached. */
    STRIPE_CACHE_TTL: z.coerce.number().int().min(0).default(3600),
    /** Initial value of the auto-sync toggle (the live value lives in settings). */
    STRIPE_AUTO_SYNC_ENABLED: bool.default(true),
    /**
     * 32-byte key(s) (64 hex chars or base64) for personal data at rest; comma-separated during a
     * rotation, the first encrypting. Unset with the embedded database: a key file in RECUR_DATA_DIR.
     */
    RECUR_ENCRYPTION_KEY: z
      .string()
      .refine(
        (v) => v.split(',').every((k) => decodeKey(k) !== null),
        'expected 32 bytes as 64 hex characters or base64',
      )
      .optional(),
    /** An admin API key to accept (bootstrap); it is stored hashed at start. */
    RECUR_ADMIN_API_KEY: z
      .string()
      .regex(/^rk_\w{16,}$/, 'expected rk_ followed by at least 16 letters or digits')
      .optional(),
    /**
     * Seconds a process remembers an API key it found valid, so that a request with it reads
     * nothing; a revoke takes effect at once in the process that made it, within this in others.
     * 0: every request reads its key.
     */
    RECUR_API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
    /** HS256 secret of the host app's end-user JWTs. */
    RECUR_JWT_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
    /** JWKS URL of the host app's end-user JWTs (instead of a shared secret). */
    RECUR_JWT_JWKS_URL: url(['https:', 'http:']).optional(),
    /** The `aud` every end-user JWT must carry; unset: not checked. */
    RECUR_JWT_AUDIENCE: z.string().min(1).max(200).optional(),
    /** The `iss` every end-user JWT must carry; unset: not checked. */
    RECUR_JWT_ISSUER: z.string().min(1).max(200).optional(),
    /** Run the event worker inside `recur serve`; by default only with the embedded database. */
    RECUR_RUN_WORKER: bool.optional(),
    /** Keep webhooks in the inbox without processing them (drained when set back to false). */
    RECUR_PROCESSING_PAUSED: bool.default(false),
    /**
     * Events one worker process applies at a time: they share transactions (two in flight, each
     * up to this many events), so more in flight is fewer commits and round trips per event
     * (bench/webhooks.ts, same runs: 348–355 events/s at 32, 480–538 at 64, 339 at 128).
     */
    RECUR_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(64),
    /**
     * How long (ms) the worker lets an event wait for others to share its transaction, at rates
     * where events rarely overlap: fewer round trips and commits per event, for that much latency.
     */
    RECUR_WORKER_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(1000).default(5),
    /** Processing attempts before an event is dead-lettered. */
    RECUR_EVENT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    /**
     * Days a processed (or ignored) event is kept in the inbox; unset keeps every event. At least 30:
     * a sender that retries an event Recur no longer holds would have it applied again.
     */
    RECUR_EVENT_RETENTION_DAYS: z.coerce.number().int().min(30).max(36_500).optional(),
    /** Seconds between retention sweeps (events of erased customers scrubbed, old events deleted). */
    RECUR_RETENTION_SWEEP_INTERVAL: seconds.default(300),
    /**
     * The proxies in front, whose X-Forwarded-For entries are believed (client addresses in rate
     * limits and logs): their number (hops) or their addresses/CIDRs, comma-separated. Never `true`:
     * the leftmost entry is whatever the client wrote.
     */
    RECUR_TRUST_PROXY: trustProxySetting.default(false),
    /** Seconds a client has to send a whole request (headers and body); a slower one is cut (408). */
    RECUR_HTTP_REQUEST_TIMEOUT: seconds.default(30),
    /** Seconds a client has to send a request's headers. */
    RECUR_HTTP_HEADERS_TIMEOUT: seconds.default(10),
    /** Seconds an idle keep-alive connection stays open (above a load balancer's idle timeout). */
    RECUR_HTTP_KEEP_ALIVE_TIMEOUT: seconds.default(72),
    /** Open connections at most; more are refused at once. */
    RECUR_HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(4096),
    /** Where the host app lives: the default return address of Checkout and the Customer Portal. */
    RECUR_APP_URL: url(['http:', 'https:']).default('http://localhost:3000'),
    /**
     * Other origins (comma-separated) that Checkout and the portal may send users back to; the origin
     * of RECUR_APP_URL is always allowed. Any other return URL is refused, so Recur is no open redirect.
     */
    RECUR_REDIRECT_ORIGINS: z
      .string()
      .refine(
        (v) => v.split(',').every((o) => isOrigin(o.trim())),
        'expected comma-separated origins such as https://app.example.com',
      )
      .optional(),
    /**
     * Where users reach this Recur (an origin such as https://billing.example.com): the address in
     * billing links and the billing page's return URLs. Unset: the address `recur serve` listens on.
     */
    RECUR_PUBLIC_URL: z
      .string()
      .refine(isOrigin, 'expected an origin such as https://billing.example.com (no path)')
      .optional(),
    /**
     * HS256 secret of the billing page's signed links. Unset: one is generated at first start and
     * kept (encrypted) in the database, so it survives restarts and every instance shares it.
     */
    RECUR_BILLING_LINK_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
    /** Shared secret of the generic payment-provider webhook (HMAC-SHA256 of the body); unset: that webhook is off. */
    RECUR_PAYMENT_WEBHOOK_SECRET: z.string().min(24, 'expected at least 24 characters').optional(),
    /** Days a past-due subscription keeps its benefits before access stops. */
    RECUR_ENTITLEMENT_GRACE_DAYS: z.coerce.number().int().min(0).max(90).default(7),
    /**
     * What a dispute does to access until an admin changes it in the settings: `freeze` suspends the
     * subscription's entitlements until it is won (a lost one cancels it), `cancel` cancels it, `none`.
     */
    RECUR_DISPUTE_POLICY: z.enum(['freeze', 'cancel', 'none']).default('freeze'),
    /** `refund_and_cancel`: an early fraud warning refunds the charge and cancels its subscription. */
    RECUR_EARLY_FRAUD_WARNING_POLICY: z.enum(['none', 'refund_and_cancel']).default('none'),
    /** Seconds between checks that suspend external subscriptions left unpaid past their billing date. */
    RECUR_OVERDUE_CHECK_INTERVAL: seconds.default(300),
    /** How old a usage event's timestamp may be (days) and still be counted into its period. */
    RECUR_USAGE_PAST_WINDOW_DAYS: z.coerce.number().int().min(0).max(366).default(35),
    /** Seconds a check's reservation holds its units before the sweep releases it. */
    RECUR_USAGE_RESERVATION_TTL: seconds.max(86_400).default(900),
    /** The share of a limit (percent) whose crossing is announced, besides reaching 100%. */
    RECUR_USAGE_WARN_PERCENT: z.coerce.number().int().min(1).max(99).default(80),
    /** SMTP server for customer notifications (smtp:// or smtps://, credentials in the URL); unset: logged only. */
    SMTP_URL: url(['smtp:', 'smtps:']).optional(),
    /** Sender address of customer notifications. */
    RECUR_NOTIFY_FROM: z.string().email('expected an email address').default('billing@recur.local'),
    /**
     * Whether webhooks to the host app may target loopback, private and link-local addresses;
     * unset: allowed with the embedded database (a local set-up), refused otherwise.
     */
    RECUR_WEBHOOKS_ALLOW_PRIVATE: bool.optional(),
    /** Seconds a host-app endpoint has to answer one webhook delivery. */
    RECUR_WEBHOOKS_TIMEOUT_SECONDS: seconds.max(300).default(15),
    /** Seconds a dispatcher holds the deliveries it claimed; longer than the timeout, so a live one never loses them. */
    RECUR_WEBHOOKS_LEASE_SECONDS: seconds.max(3600).default(60),
    /** Milliseconds between looks for due deliveries when there was nothing to send. */
    RECUR_WEBHOOKS_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    /** Deliveries one process sends at a time, all endpoints together… */
    RECUR_WEBHOOKS_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
    /** …and to one endpoint, so that one slow endpoint cannot take every slot. */
    RECUR_WEBHOOKS_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
    /** Where alerts for the people running Recur go (comma-separated), through SMTP_URL. */
    RECUR_ADMIN_EMAILS: z
      .string()
      .refine(
        (v) => v.split(',').every((a) => z.string().email().safeParse(a.trim()).success),
        'expected comma-separated email addresses',
      )
      .optional(),
    /**
     * A Slack-compatible incoming-webhook URL that receives alerts (`{"text": …}` POSTs); a secret,
     * never logged. Unset: alerts go by email (RECUR_ADMIN_EMAILS) only, or to the log.
     */
    RECUR_ALERT_WEBHOOK_URL: url(['http:', 'https:']).optional(),
    /** Seconds between evaluations of the alert rules (one process evaluates at a time). */
    RECUR_ALERT_INTERVAL: seconds.max(3600).default(60),
    /** Seconds between runs of the meter reporter (overage written to Stripe's meters). */
    RECUR_METER_REPORT_INTERVAL: seconds.max(3600).default(60),
    /** pino log level. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    const keyMode = env.STRIPE_SECRET_KEY ? stripeModeOfKey(env.STRIPE_SECRET_KEY) : null;
    if (env.STRIPE_WEBHOOK_SECRET && !env.STRIPE_SECRET_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['STRIPE_WEBHOOK_SECRET'],
        message: 'is set without STRIPE_SECRET_KEY; the built-in emulator makes its own secret',
      });
    }
    if (keyMode && env.STRIPE_WEBHOOK_SECRET) {
      const secretMode = webhookSecretMode(env.STRIPE_WEBHOOK_SECRET);
      if (secretMode && secretMode !== keyMode) {
        ctx.addIssue({
          code: 'custom',
          path: ['STRIPE_WEBHOOK_SECRET'],
          message: `is a ${secretMode}-mode secret but STRIPE_SECRET_KEY is a ${keyMode}-mode key`,
        });
      }
    }
    if (env.RECUR_HTTP_HEADERS_TIMEOUT > env.RECUR_HTTP_REQUEST_TIMEOUT) {
      ctx.addIssue({
        code: 'custom',
        path: ['RECUR_HTTP_HEADERS_TIMEOUT'],
        message: 'is longer than RECUR_HTTP_REQUEST_TIMEOUT, which includes the headers',
      });
    }
    if (env.RECUR_WEBHOOKS_LEASE_SECONDS <= env.RECUR_WEBHOOKS_TIMEOUT_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['RECUR_WEBHOOKS_LEASE_SECONDS'],
        message: 'is not longer than RECUR_WEBHOOKS_TIMEOUT_SECONDS: a slow delivery would be sent twice',
      });
    }
    if (env.STRIPE_API_BASE && !env.STRIPE_SECRET_KEY) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_API_BASE'], message: 'needs STRIPE_SECRET_KEY as well' });
    }
    if (env.DATABASE_URL && !env.RECUR_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['RECUR_ENCRYPTION_KEY'],
        message: 'is required with DATABASE_URL (personal data is stored encrypted)',
      });
    }
    if (keyMode === 'live' && !env.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['STRIPE_WEBHOOK_SECRET'],
        message: 'is required with a live STRIPE_SECRET_KEY',
      });
    }
  });
