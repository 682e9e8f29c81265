// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { HealthPaths } from './paths/health.gen.js';
import type { ApiKeysPaths } from './paths/api-keys.gen.js';
import type { PlansPaths } from './paths/plans.gen.js';
import type { CustomersPaths } from './paths/customers.gen.js';
import type { OrganizationsPaths } from './paths/organizations.gen.js';
import type { CheckoutPaths } from './paths/checkout.gen.js';
import type { BillingPagePaths } from './paths/billing-page.gen.js';
import type { EntitlementsPaths } from './paths/entitlements.gen.js';
import type { CreditsPaths } from './paths/credits.gen.js';
import type { UsagePaths } from './paths/usage.gen.js';
import type { InvoicesPaths } from './paths/invoices.gen.js';
import type { RefundsPaths } from './paths/refunds.gen.js';
import type { DisputesPaths } from './paths/disputes.gen.js';
import type { SubscriptionsPaths } from './paths/subscriptions.gen.js';
import type { ReportsPaths } from './paths/reports.gen.js';
import type { PriceMigrationsPaths } from './paths/price-migrations.gen.js';
import type { WebhooksPaths } from './paths/webhooks.gen.js';
import type { EventsPaths } from './paths/events.gen.js';
import type { AppWebhooksPaths } from './paths/app-webhooks.gen.js';
import type { SyncPaths } from './paths/sync.gen.js';
import type { SettingsPaths } from './paths/settings.gen.js';
import type { AlertsPaths } from './paths/alerts.gen.js';
import type { AuditPaths } from './paths/audit.gen.js';

/** Every route of the API, in the shape openapi-fetch reads. */
export interface paths
  extends HealthPaths,
    ApiKeysPaths,
    PlansPaths,
    CustomersPaths,
    OrganizationsPaths,
    CheckoutPaths,
    BillingPagePaths,
    EntitlementsPaths,
    CreditsPaths,
    UsagePaths,
    InvoicesPaths,
    RefundsPaths,
    DisputesPaths,
    SubscriptionsPaths,
    ReportsPaths,
    PriceMigrationsPaths,
    WebhooksPaths,
    EventsPaths,
    AppWebhooksPaths,
    SyncPaths,
    SettingsPaths,
    AlertsPaths,
    AuditPaths {}
