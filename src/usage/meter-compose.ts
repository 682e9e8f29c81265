import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/client.js';
import { StripeMeters } from '../stripe/index.js';
import { type ReconcileFilter, reconcileMeters } from './meter-reconcile.js';
import { MeterReporter, type ReportRun } from './meter-reporter.js';

/** Overage billed through Stripe's meters: the reporter (started with the worker) and the reconcile. */
export interface Metering {
  reporter: MeterReporter;
  /** A renewal invoice was made: a run starts now, not waiting for the schedule. */
  renewalInvoiced(): void;
  /** A run now, on an admin's request (audited with what it did). */
  flush(): Promise<ReportRun>;
  reconcile(filter: ReconcileFilter): ReturnType<typeof reconcileMeters>;
}

export function createMetering(deps: {
  db: Db;
  stripe: Stripe;
  reportIntervalSeconds: number;
  logger: Logger;
}): Metering {
  const meters = new StripeMeters(deps.stripe);
  const reporter = new MeterReporter(
    { db: deps.db, sender: meters, logger: deps.logger.child({ component: 'meter-reporter' }) },
    { everyMs: deps.reportIntervalSeconds * 1000 },
  );
  return {
    reporter,
    renewalInvoiced() {
      void reporter
        .requestRun()
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'meter report after a renewal failed'));
    },
    async flush() {
      const run = await reporter.runNow();
      await recordAudit(deps.db, {
        action: 'meter_reports.flush',
        objectType: 'meter_report',
        objectId: null,
        after: { ...run },
      });
      return run;
    },
    reconcile: (filter) => reconcileMeters({ db: deps.db, meters }, filter),
  };
}
