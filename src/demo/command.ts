import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../app.js';
import type { Config } from '../config.js';
import { connectStripe } from '../embedded-stripe.js';
import { createLogger } from '../observability/logger.js';
import { createServices, type Services } from '../services.js';
import { StripeDemoActivity } from '../stripe/demo-activity.js';
import { registerWebhookEndpoint, removeWebhookEndpoint } from '../stripe/webhook-endpoints.js';
import { type DemoSummary, formatMoney, generateDemo } from './generator.js';
import { InboxDrain } from './inbox-drain.js';
import { demoRepository } from './repository.js';

export interface DemoCommandOptions {
  customers: number;
  months: number;
  seed: number;
  force?: boolean;
}

interface Output {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/**
 * Why the demo refuses a Stripe other than an emulator: a live key would bill real cards, and on
 * api.stripe.com in test mode Stripe cannot deliver webhooks to this process, and deletes test clocks
 * (with their customers) after 30 days, so the history would vanish.
 */
export function refusal(config: Config): string | null {
  if (config.stripe.mode === 'live')
    return 'recur demo refuses a live Stripe key: it makes fake customers and charges their cards';
  if (!config.stripe.emulated && !config.stripe.apiBase)
    return (
      'recur demo runs against the built-in Stripe emulator (no STRIPE_SECRET_KEY) or an emulator at ' +
      'STRIPE_API_BASE: api.stripe.com cannot deliver webhooks to it and deletes test clocks after 30 days'
    );
  return null;
}

/**
 * Recur's real webhook path, in this process: the HTTP app on an ephemeral port, registered with
 * Stripe as an endpoint, and the worker applying what arrives, as `recur serve` runs in embedded mode.
 */
async function startLivePipeline(services: Services): Promise<{ close(): Promise<void> }> {
  const { app } = await buildApp(services);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/stripe/webhook`;
  services.webhookSecrets.push(await registerWebhookEndpoint(services.stripe, url));
  await services.worker.start();
  services.notifications.start();
  return {
    async close() {
      await removeWebhookEndpoint(services.stripe, url).catch(() => {});
      await services.worker.stop();
      await app.close();
    },
  };
}

export function formatSummary(summary: DemoSummary, seconds: number): string {
  const mrr = summary.mrr.map((m) => formatMoney(m.mrr, m.currency)).join(', ') || '0';
  return [
    '',
    `Demo history made in ${seconds.toFixed(1)} s:`,
    `  customers      ${summary.customers}`,
    `  subscriptions  ${summary.subscriptions}`,
    `  invoices       ${summary.invoices}`,
    `  events         ${summary.events} (dead letters: ${summary.deadEvents})`,
    `  MRR now        ${mrr}`,
    '',
    'Start Recur on the same data (npm start) to see it in the reports and the admin app.',
    '',
  ].join('\n');
}

/** `recur demo`: resolves to the exit code. */
export async function demoCommand(
  baseConfig: Config,
  options: DemoCommandOptions,
  io: Output = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const refused = refusal(baseConfig);
  if (refused) {
    io.err.write(`recur: ${refused}\n`);
    return 1;
  }
  // Thousands of webhooks come from one address in bursts. The emulator listens on its configured
  // port, as under `recur serve`: the invoice and PDF links it hands out (and the mirror keeps) must
  // still answer when the server runs on this data later.
  const config: Config = {
    ...baseConfig,
    stripe: { ...baseConfig.stripe, webhookRateLimitPerMinute: 1_000_000 },
  };
  const quiet = ['info', 'debug', 'trace'].includes(config.logLevel) ? 'warn' : config.logLevel;
  const logger = createLogger({ level: quiet });
  const stripe = await connectStripe(config, logger);
  const services = await createServices(config, logger, stripe.target);
  try {
    await services.database.migrate();
    if (!options.force && (await demoRepository.hasDemoHistory(services.database.db))) {
      io.err.write('recur: a demo history is already here; run with --force to add another\n');
      return 1;
    }
    const started = Date.now();
    const pipeline = await startLivePipeline(services);
    try {
      const activity = new StripeDemoActivity(services.stripe);
      const summary = await generateDemo(
        {
          db: services.database.db,
          activity,
          plans: services.plans,
          subscriptions: services.subscriptions,
          refunds: services.refunds,
          reports: services.reports,
          inbox: new InboxDrain({ activity, db: services.database.db }),
        },
        { ...options, now: new Date(), runId: randomUUID(), progress: (line) => io.out.write(`${line}\n`) },
      );
      io.out.write(formatSummary(summary, (Date.now() - started) / 1000));
      return summary.deadEvents > 0 ? 1 : 0;
    } finally {
      await pipeline.close();
    }
  } finally {
    await services.close();
    await stripe.close();
  }
}
