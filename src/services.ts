import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createAlerts } from './alerts/compose.js';
import { ChangeAnnouncer } from './app-webhooks/announcements.js';
import { AppWebhookDispatcher } from './app-webhooks/dispatcher.js';
import { createAppWebhookMetrics } from './app-webhooks/metrics.js';
import { AuditTrail, auditRetentionTask } from './audit/trail.js';
import { ApiKeyService } from './auth/api-keys.js';
import { anyUserTokenVerifier, createUserTokenVerifier } from './auth/jwt.js';
import { openBillingLinks } from './billing-links/service.js';
import { openCache } from './cache/open.js';
import type { Cache } from './cache/port.js';
import { CheckoutService } from './checkout/service.js';
import type { Config } from './config.js';
import { createCredits } from './credits/compose.js';
import { CustomerService } from './customers/service.js';
import { type Database, openDatabase } from './db/client.js';
import { DisputeService } from './disputes/service.js';
import { EntitlementService } from './entitlements/service.js';
import { createHandlerRegistry } from './events/handlers/registry.js';
import { EventInbox } from './events/inbox.js';
import { createEventMetrics } from './events/metrics.js';
import { eventRepository } from './events/repository.js';
import { EventWorker } from './events/worker.js';
import { readinessChecks } from './health/checks.js';
import { originOf, PublicOrigin } from './http/public-origin.js';
import { InvoiceService } from './invoices/service.js';
import { NotificationDispatcher } from './notifications/dispatcher.js';
import { createNotificationSender } from './notifications/senders.js';
import { createMetrics } from './observability/metrics.js';
import { createOrganizations } from './organizations/compose.js';
import { PaymentNoticeIntake } from './payment-webhook/intake.js';
import { PlanService } from './plans/service.js';
import { createPriceMigrations } from './price-migrations/compose.js';
import { createEventQueue } from './queue/index.js';
import type { EventQueue } from './queue/port.js';
import { RefundService } from './refunds/service.js';
import { ReportService } from './reports/service.js';
import { RetentionSweep } from './retention-sweep.js';
import type { Services } from './services-shape.js';
import { SettingsService } from './settings/service.js';
import { PiiCipher } from './shared/crypto.js';
import { loadOrCreateKeyFile } from './shared/key-file.js';
import { StripeCheckout } from './stripe/checkout.js';
import { StripeCustomers } from './stripe/customers.js';
import { StripeDisputeActions } from './stripe/disputes.js';
import { createStripeClient, StripeCatalog, type StripeTarget } from './stripe/index.js';
import { StripeInvoiceDocuments } from './stripe/invoice-documents.js';
import { StripeObjects } from './stripe/objects.js';
import { StripeRefunds } from './stripe/refunds.js';
import { StripeSubscriptionWrites } from './stripe/subscription-writes.js';
import { StripeSubscriptions } from './stripe/subscriptions.js';
import { StripeTax } from './stripe/tax.js';
import { SubscriptionCreation } from './subscriptions/creation.js';
import { OverdueCheck } from './subscriptions/overdue.js';
import { SubscriptionService } from './subscriptions/service.js';
import { CatalogSync } from './sync/catalog.js';
import { createSync } from './sync/compose.js';
import { createUsage } from './usage/compose.js';
import { createMetering } from './usage/meter-compose.js';

export const VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

export type { Services } from './services-shape.js';

export interface ServiceOverrides {
  /** An already open database (tests share one PGlite per worker). */
  database?: Database;
  cache?: Cache;
  queue?: EventQueue;
}

/**
 * Wires adapters to the configuration: PostgreSQL or PGlite, Redis or memory, and a Stripe target
 * (api.stripe.com, or the emulator whose URL the caller passes in `stripeTarget`).
 */
export async function createServices(
  config: Config,
  logger: Logger,
  stripeTarget: StripeTarget,
  overrides: ServiceOverrides = {},
): Promise<Services> {
  const ownsDatabase = !overrides.database;
  const database =
    overrides.database ??
    (await openDatabase(
      config.databaseUrl
        ? { url: config.databaseUrl, poolSize: config.databasePoolSize }
        : { dataDir: join(config.dataDir, 'db') },
    ));
  const { cache, rateLimiter } = await openCache(config, overrides.cache);
  const cipher = new PiiCipher(
    config.encryptionKeys.length ? config.encryptionKeys : [loadOrCreateKeyFile(config.dataDir)],
  );
  const queue =
    overrides.queue ?? (await createEventQueue(config.queueUrl, config.queueName, database, logger));
  const stripe = createStripeClient(stripeTarget);
  const metrics = createMetrics();
  const catalog = new StripeCatalog(stripe);
  const stripeTax = new StripeTax(stripe);
  const settings = new SettingsService({
    db: database.db,
    defaults: {
      autoSyncEnabled: config.stripe.autoSyncEnabled,
      cacheEnabled: true,
      auditRetentionDays: null,
      taxEnabled: false,
      disputePolicy: config.billing.disputePolicy,
      earlyFraudWarningPolicy: config.billing.earlyFraudWarningPolicy,
    },
    taxRefusals: (prices) => stripeTax.refusals(prices),
    // Whatever the cache held before a toggle may be stale by the time it is read again.
    onChange: async (changed) => {
      if (changed.cacheEnabled !== undefined) await plans.invalidateCache();
    },
  });
  const announcer = new ChangeAnnouncer({ graceDays: config.billing.entitlementGraceDays });
  const plans = new PlanService({
    db: database.db,
    announcer,
    catalog,
    cache,
    cacheTtlSeconds: config.stripe.cacheTtlSeconds,
    cacheEnabled: settings.cacheEnabled,
    newPriceTaxRefusal: async () => ((await settings.taxEnabled()) ? stripeTax.newPriceRefusal() : null),
    metrics,
    logger,
  });
  const catalogSync = new CatalogSync({ db: database.db, catalog, plans, logger });
  const { syncs, syncScheduler } = createSync({
    config,
    database,
    stripe,
    cipher,
    catalogSync,
    settings,
    metrics,
    logger,
    invalidatePlanCache: () => plans.invalidateCache(),
  });
  const subscriptionWrites = new StripeSubscriptionWrites(stripe);
  const metering = createMetering({
    db: database.db,
    stripe,
    reportIntervalSeconds: config.metering.reportIntervalSeconds,
    logger,
  });
  const eventMetrics = createEventMetrics(metrics, () => eventRepository.oldestWaiting(database.db));
  const inbox = new EventInbox({ db: database.db, cipher, queue, metrics: eventMetrics, logger });
  const worker = new EventWorker(
    {
      db: database.db,
      queue,
      handlers: createHandlerRegistry({
        catalogSync,
        invalidatePlanCache: () => plans.invalidateCache(),
        subscriptionWrites,
        announcer,
        disputeActions: new StripeDisputeActions(stripe),
        fraudPolicies: settings.fraudPolicies,
        renewalInvoiced: metering.renewalInvoiced,
        graceDays: config.billing.entitlementGraceDays,
      }),
      objects: new StripeObjects(stripe),
      cipher,
      metrics: eventMetrics,
      logger: logger.child({ component: 'worker' }),
    },
    {
      maxAttempts: config.events.maxAttempts,
      concurrency: config.events.workerConcurrency,
      batchWindowMs: config.events.workerBatchWindowMs,
    },
  );

  const customerDeps = {
    db: database.db,
    stripe: new StripeCustomers(stripe),
    cipher,
    logger: logger.child({ component: 'customers' }),
  };
  const customers = new CustomerService(customerDeps);
  const seatDeps = { stripe, announcer, taxEnabled: settings.taxEnabled };
  const { organizations, seats } = createOrganizations({ ...customerDeps, customers }, seatDeps);
  const retentionSweep = new RetentionSweep({
    ...customerDeps,
    intervalSeconds: config.events.retentionSweepIntervalSeconds,
    eventRetentionDays: config.events.retentionDays,
  });
  const credits = createCredits({
    db: database.db,
    logger,
    stripe: customerDeps.stripe,
    sweepIntervalSeconds: config.events.retentionSweepIntervalSeconds,
  });
  const notificationSender = await createNotificationSender(config.notifications, logger);
  const notifications = new NotificationDispatcher({
    db: database.db,
    sender: notificationSender,
    cipher,
    logger: logger.child({ component: 'notifications' }),
  });

  const appWebhooks = new AppWebhookDispatcher(
    {
      db: database.db,
      cipher,
      metrics: createAppWebhookMetrics(metrics),
      logger: logger.child({ component: 'app-webhooks' }),
    },
    config.appWebhooks,
  );

  const { alertMonitor, alerts, signatureFailures } = createAlerts({
    config,
    db: database.db,
    cipher,
    metrics,
    logger,
  });

  const publicOrigin = new PublicOrigin(config.billing.publicUrl, originOf(config.host, config.port));
  const billingLinks = openBillingLinks(database.db, cipher, config.billing.linkSecret, publicOrigin);

  const readiness = readinessChecks({
    database,
    queue,
    cache,
    // The lightest read Stripe answers: one product.
    stripe: { ping: async () => void (await stripe.products.list({ limit: 1 })) },
  });

  const auditTrail = new AuditTrail({ db: database.db });
  const auditRetention = auditRetentionTask(
    auditTrail,
    async () => (await settings.current({ fresh: true })).auditRetentionDays,
  );

  const { usage, reservationSweep } = createUsage({
    db: database.db,
    settings: { ...config.usage, graceDays: config.billing.entitlementGraceDays },
    logger,
  });

  const priceMigrations = createPriceMigrations({
    db: database.db,
    cipher,
    stripe: new StripeSubscriptions(stripe),
    logger: logger.child({ component: 'price-migrations' }),
  });

  const overdueCheck = new OverdueCheck({
    db: database.db,
    announcer,
    graceDays: config.billing.entitlementGraceDays,
    intervalSeconds: config.billing.overdueCheckIntervalSeconds,
    logger: logger.child({ component: 'overdue' }),
  });

  return {
    version: VERSION,
    config,
    logger,
    database,
    cache,
    stripe,
    metrics,
    apiKeys: new ApiKeyService(database.db, config.apiKeyCacheMs),
    // A billing link is told by its audience and checked with Recur's own secret; any other token
    // goes to the host app's verifier.
    userTokens: anyUserTokenVerifier([billingLinks, createUserTokenVerifier(config.jwt)]),
    billingLinks,
    publicOrigin,
    plans,
    customers,
    organizations,
    seats,
    checkout: new CheckoutService({
      db: database.db,
      customers,
      organizations,
      stripe: new StripeCheckout(stripe, () => settings.branding.current()),
      billing: config.billing,
      billingPage: () => publicOrigin.billingPage,
      taxEnabled: settings.taxEnabled,
      logger: logger.child({ component: 'checkout' }),
    }),
    entitlements: new EntitlementService({ db: database.db, graceDays: config.billing.entitlementGraceDays }),
    subscriptionCreation: new SubscriptionCreation({
      db: database.db,
      announcer,
      customers,
      organizations,
      stripe: subscriptionWrites,
      inbox,
      taxEnabled: settings.taxEnabled,
      logger: logger.child({ component: 'subscriptions' }),
    }),
    paymentNotices: new PaymentNoticeIntake({
      db: database.db,
      inbox,
      secret: config.billing.paymentWebhookSecret,
      logger: logger.child({ component: 'payment-webhook' }),
    }),
    overdueCheck,
    retentionSweep,
    credits,
    usage,
    reservationSweep,
    invoices: new InvoiceService({ db: database.db, documents: new StripeInvoiceDocuments() }),
    disputes: new DisputeService({ db: database.db }),
    refunds: new RefundService({
      db: database.db,
      stripe: new StripeRefunds(stripe),
      logger: logger.child({ component: 'refunds' }),
    }),
    notifications,
    appWebhooks,
    alertMonitor,
    alerts,
    signatureFailures,
    subscriptions: new SubscriptionService({
      db: database.db,
      announcer,
      stripe: new StripeSubscriptions(stripe),
      cipher,
      taxEnabled: settings.taxEnabled,
      logger: logger.child({ component: 'subscriptions' }),
    }),
    reports: new ReportService({ db: database.db }),
    priceMigrations,
    catalogSync,
    settings,
    auditTrail,
    auditRetention,
    syncs,
    metering,
    syncScheduler,
    cipher,
    queue,
    inbox,
    worker,
    rateLimiter,
    webhookSecrets: [...config.stripe.webhookSecrets],
    readinessChecks: readiness,
    async close() {
      await syncScheduler.stop();
      await auditRetention.stop();
      await overdueCheck.stop();
      await priceMigrations.runner.stop();
      await reservationSweep.stop();
      await alertMonitor.stop();
      await signatureFailures.flush();
      await retentionSweep.stop();
      await credits.expirySweep.stop();
      await syncs.stop();
      await worker.stop();
      // After the worker: its last renewals may have asked the reporter for a run.
      await metering.reporter.stop();
      await notifications.stop();
      await appWebhooks.stop();
      notificationSender.close?.();
      alertMonitor.close();
      await queue.close();
      await cache.close();
      if (ownsDatabase) await database.close();
    },
  };
}
