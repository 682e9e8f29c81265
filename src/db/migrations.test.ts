import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/support/db.js';
import { queryRows } from './client.js';

describe('migrations', () => {
  it('build the schema on a fresh database and are idempotent', async () => {
    const database = await openTestDatabase();
    try {
      await database.migrate();
      const tables = await queryRows<{ tablename: string }>(
        database.db,
        sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
      );
      expect(tables.map((r) => r.tablename)).toEqual([
        'alert_incidents',
        'alert_messages',
        'alert_signal_counts',
        'api_keys',
        'app_webhook_attempts',
        'app_webhook_deliveries',
        'app_webhook_endpoints',
        'app_webhook_messages',
        'app_webhook_sequences',
        'audit_anchor',
        'audit_log',
        'charges',
        'checkout_sessions',
        'credit_ledger',
        'credit_lots',
        'customers',
        'dispute_actions',
        'disputes',
        'early_fraud_warnings',
        'event_attempts',
        'events',
        'external_payments',
        'idempotent_requests',
        'invoice_payments',
        'invoices',
        'meter_reports',
        'mrr_cohorts',
        'mrr_months',
        'mrr_movements',
        'notifications',
        'organization_members',
        'organizations',
        'payment_intents',
        'payment_methods',
        'plan_metered_prices',
        'plan_prices',
        'plans',
        'price_migration_items',
        'price_migrations',
        'purchases',
        'refunds',
        'revenue_months',
        'settings',
        'subscription_items',
        'subscription_mrr',
        'subscriptions',
        'sync_runs',
        'usage_counters',
        'usage_events',
        'usage_meters',
        'usage_reservations',
      ]);
      const applied = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(applied[0]!.n).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  });
});
