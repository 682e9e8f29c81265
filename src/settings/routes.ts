import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.js';
import { DISPUTE_POLICIES, EARLY_FRAUD_WARNING_POLICIES } from '../disputes/policy.js';
import { errorResponses } from '../http/schemas.js';
import type { Settings, SettingsService } from './service.js';

const settingsView = z.object({
  auto_sync_enabled: z.boolean().describe('Scheduled incremental syncs from Stripe'),
  cache_enabled: z.boolean().describe('Caching of the public plan catalog'),
  audit_retention_days: z
    .number()
    .int()
    .nullable()
    .describe('Audit rows older than this are pruned hourly by the worker; null keeps every row'),
  tax_enabled: z
    .boolean()
    .describe('Stripe Tax on Checkout and on the subscriptions Recur creates or changes'),
  dispute_policy: z
    .enum(DISPUTE_POLICIES)
    .describe(
      'What a chargeback does to access: `freeze` suspends the subscription’s entitlements until it is won (lost: they stay suspended and the subscription is cancelled), `cancel` cancels the subscription, `none` leaves access alone',
    ),
  early_fraud_warning_policy: z
    .enum(EARLY_FRAUD_WARNING_POLICIES)
    .describe(
      '`refund_and_cancel`: an actionable early fraud warning refunds its charge and cancels the subscription, once',
    ),
  sync_interval_seconds: z.number().int(),
  cache_ttl_seconds: z.number().int(),
  processing_paused: z.boolean().describe('RECUR_PROCESSING_PAUSED: webhooks are stored but not applied'),
  stripe: z.object({
    mode: z.enum(['test', 'live']),
    emulated: z.boolean(),
    secret_key: z.string().nullable().describe('Masked; null with the built-in emulator'),
    webhook_secret_set: z.boolean(),
  }),
});

const updateBody = z
  .object({
    auto_sync_enabled: z.boolean().optional(),
    cache_enabled: z.boolean().optional(),
    audit_retention_days: z.number().int().min(1).max(36_500).nullable().optional(),
    tax_enabled: z
      .boolean()
      .optional()
      .describe('Turning it on is refused (409 tax_not_ready) where Stripe would not calculate tax'),
    dispute_policy: z.enum(DISPUTE_POLICIES).optional(),
    early_fraud_warning_policy: z.enum(EARLY_FRAUD_WARNING_POLICIES).optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((value) => value !== undefined), 'Send at least one setting');

/** `sk_live_…4242`: enough to tell keys apart, nothing to use. */
export function maskKey(key: string): string {
  const prefix = /^(sk|rk)_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}…${key.slice(-4)}`;
}

const tags = ['settings'];
const admin = ['admin'] as const;

export function settingsRoutes(deps: {
  settings: SettingsService;
  config: Config;
  /** Whether a webhook signing secret is known (configured, or the emulator's). */
  webhookSecretSet: () => boolean;
}): FastifyPluginAsyncZod {
  const { config } = deps;
  const view = (values: Settings): z.infer<typeof settingsView> => ({
    auto_sync_enabled: values.autoSyncEnabled,
    cache_enabled: values.cacheEnabled,
    audit_retention_days: values.auditRetentionDays,
    tax_enabled: values.taxEnabled,
    dispute_policy: values.disputePolicy,
    early_fraud_warning_policy: values.earlyFraudWarningPolicy,
    sync_interval_seconds: config.stripe.syncIntervalSeconds,
    cache_ttl_seconds: config.stripe.cacheTtlSeconds,
    processing_paused: config.events.processingPaused,
    stripe: {
      mode: config.stripe.mode,
      emulated: config.stripe.emulated,
      secret_key: config.stripe.secretKey ? maskKey(config.stripe.secretKey) : null,
      webhook_secret_set: deps.webhookSecretSet(),
    },
  });

  return async (app) => {
    app.get(
      '/api/admin/settings',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Operator settings and the Stripe connection (never a secret)',
          response: { 200: settingsView, ...errorResponses },
        },
      },
      async () => view(await deps.settings.current({ fresh: true })),
    );

    app.put(
      '/api/admin/settings',
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            'Turn auto sync, the plan cache or Stripe Tax on or off, or set the dispute and fraud warning policies; takes effect without a restart',
          body: updateBody,
          response: { 200: settingsView, ...errorResponses },
        },
      },
      async (request) =>
        view(
          await deps.settings.update({
            autoSyncEnabled: request.body.auto_sync_enabled,
            cacheEnabled: request.body.cache_enabled,
            auditRetentionDays: request.body.audit_retention_days,
            taxEnabled: request.body.tax_enabled,
            disputePolicy: request.body.dispute_policy,
            earlyFraudWarningPolicy: request.body.early_fraud_warning_policy,
          }),
        ),
    );
  };
}
