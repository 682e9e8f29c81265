import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Metrics } from '../observability/metrics.js';
import type { PiiCipher } from '../shared/crypto.js';
import { alertChannels } from './channels.js';
import { createAlertMetrics } from './metrics.js';
import { AlertMonitor } from './monitor.js';
import { AlertRuleStore } from './rule-settings.js';
import { STRIPE_SIGNATURE_SIGNAL } from './rules.js';
import { AlertService } from './service.js';
import { SignalCounter } from './signals.js';

/** The alert rules, their monitor and channels, the admin API's service, and the refused-signature counter. */
export function createAlerts(deps: {
  config: Config;
  db: Db;
  cipher: PiiCipher;
  metrics: Metrics;
  logger: Logger;
}): { alertMonitor: AlertMonitor; alerts: AlertService; signatureFailures: SignalCounter } {
  const { config, db, cipher, metrics, logger } = deps;
  const rules = new AlertRuleStore({ db, defaults: config.alerts.ruleDefaults });
  const channels = alertChannels(config);
  const alertMonitor = new AlertMonitor(
    { db, rules, channels, cipher, logger: logger.child({ component: 'alerts' }) },
    { intervalSeconds: config.alerts.intervalSeconds },
  );
  const signatureFailures = new SignalCounter({
    db,
    signal: STRIPE_SIGNATURE_SIGNAL,
    metric: createAlertMetrics(metrics, db).signatureFailures,
    logger,
  });
  const alerts = new AlertService({ db, rules, channels: channels.map((c) => c.channel) });
  return { alertMonitor, alerts, signatureFailures };
}
