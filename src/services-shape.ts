import type { Logger } from 'pino';
import type { AlertMonitor } from './alerts/monitor.js';
import type { AlertService } from './alerts/service.js';
import type { SignalCounter } from './alerts/signals.js';
import type { AppWebhookDispatcher } from './app-webhooks/dispatcher.js';
import type { AuditTrail } from './audit/trail.js';
import type { ApiKeyService } from './auth/api-keys.js';
import type { UserTokenVerifier } from './auth/jwt.js';
import type { BillingLinkService } from './billing-links/service.js';
import type { Cache } from './cache/port.js';
import type { RateLimiter } from './cache/rate-limiter.js';
import type { CheckoutService } from './checkout/service.js';
import type { Config } from './config.js';
import type { Credits } from './credits/compose.js';
import type { CustomerService } from './customers/service.js';
import type { Database } from './db/client.js';
import type { DisputeService } from './disputes/service.js';
import type { EntitlementService } from './entitlements/service.js';
import type { EventInbox } from './events/inbox.js';
import type { EventWorker } from './events/worker.js';
import type { ReadinessCheck } from './health/routes.js';
import type { PublicOrigin } from './http/public-origin.js';
import type { InvoiceService } from './invoices/service.js';
import type { NotificationDispatcher } from './notifications/dispatcher.js';
import type { Metrics } from './observability/metrics.js';
import type { OrganizationService, SeatService } from './organizations/compose.js';
import type { PaymentNoticeIntake } from './payment-webhook/intake.js';
import type { PlanService } from './plans/service.js';
import type { PriceMigrations } from './price-migrations/compose.js';
import type { EventQueue } from './queue/port.js';
import type { RefundService } from './refunds/service.js';
import type { ReportService } from './reports/service.js';
import type { RetentionSweep } from './retention-sweep.js';
import type { SettingsService } from './settings/service.js';
import type { PiiCipher } from './shared/crypto.js';
import type { PeriodicTask } from './shared/periodic-task.js';
import type { Stripe } from './stripe/index.js';
import type { SubscriptionCreation } from './subscriptions/creation.js';
import type { OverdueCheck } from './subscriptions/overdue.js';
import type { SubscriptionService } from './subscriptions/service.js';
import type { CatalogSync } from './sync/catalog.js';
import type { SyncScheduler } from './sync/scheduler.js';
import type { SyncService } from './sync/service.js';
import type { UsageService } from './usage/compose.js';
import type { Metering } from './usage/meter-compose.js';

/** Everything the app and the CLI commands use, built once per process (or per test). */
export interface Services {
  version: string;
  config: Config;
  logger: Logger;
  database: Database;
  cache: Cache;
  stripe: Stripe;
  metrics: Metrics;
  apiKeys: ApiKeyService;
  /** The host app's user JWTs and Recur's own billing-link tokens. */
  userTokens: UserTokenVerifier;
  billingLinks: BillingLinkService;
  /** Where users reach this Recur; `recur serve` binds it once it listens. */
  publicOrigin: PublicOrigin;
  plans: PlanService;
  customers: CustomerService;
  organizations: OrganizationService;
  seats: SeatService;
  checkout: CheckoutService;
  entitlements: EntitlementService;
  subscriptionCreation: SubscriptionCreation;
  paymentNotices: PaymentNoticeIntake;
  /** Started by the worker process (see cli.ts), like the sync scheduler. */
  overdueCheck: OverdueCheck;
  retentionSweep: RetentionSweep;
  credits: Credits;
  invoices: InvoiceService;
  refunds: RefundService;
  disputes: DisputeService;
  /** Sends the notification outbox; started with the worker (see cli.ts). */
  notifications: NotificationDispatcher;
  /** Delivers webhooks to the host app; started with the worker (see cli.ts). */
  appWebhooks: AppWebhookDispatcher;
  /** Evaluates the alert rules and sends their messages; started with the worker (see cli.ts). */
  alertMonitor: AlertMonitor;
  alerts: AlertService;
  /** Stripe webhook requests refused for their signature, counted for the alert rule. */
  signatureFailures: SignalCounter;
  subscriptions: SubscriptionService;
  reports: ReportService;
  /** Price migrations; the runner is started with the worker (see cli.ts) and nudged by each new one. */
  priceMigrations: PriceMigrations;
  catalogSync: CatalogSync;
  settings: SettingsService;
  /** The audit trail's reading, export and retention (its writes go through recordAudit). */
  auditTrail: AuditTrail;
  /** Prunes the audit trail past the retention setting; started with the worker (see cli.ts). */
  auditRetention: PeriodicTask<number>;
  syncs: SyncService;
  usage: UsageService;
  /** Releases usage reservations past their expiry; started with the worker (see cli.ts). */
  reservationSweep: PeriodicTask<number>;
  /** Overage written to Stripe's meters: the reporter is started with the worker (see cli.ts). */
  metering: Metering;
  /** Started by the worker process (see cli.ts), not by building the services. */
  syncScheduler: SyncScheduler;
  cipher: PiiCipher;
  queue: EventQueue;
  inbox: EventInbox;
  worker: EventWorker;
  rateLimiter: RateLimiter;
  /** Webhook signing secrets; the embedded emulator's is added once its endpoint is registered. */
  webhookSecrets: string[];
  readinessChecks: ReadinessCheck[];
  close(): Promise<void>;
}
