import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.js';
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
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Send at least one setting');

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
          summary: 'Turn auto sync, the plan cache or Stripe Tax on or off; takes effect without a restart',
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
          }),
        ),
    );
  };
}
