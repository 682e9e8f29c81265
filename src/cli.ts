import type { AddressInfo } from 'node:net';
import { Command, InvalidArgumentError } from 'commander';
import { buildApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { demoCommand } from './demo/command.js';
import { MIN_CUSTOMERS, MIN_MONTHS } from './demo/scenario.js';
import { connectStripe, runStandaloneEmulator } from './embedded-stripe.js';
import { originOf } from './http/public-origin.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createServices, type Services, VERSION } from './services.js';
import { registerWebhookEndpoint } from './stripe/webhook-endpoints.js';
import { syncCommand } from './sync/command.js';
import { parseSyncObjects, SYNC_OBJECTS, type SyncMode, type SyncObject } from './sync/objects.js';

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`recur: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Opens everything a command needs, runs it, and closes it all again. */
async function withServices<T>(
  run: (services: Services, config: Config, logger: Logger) => Promise<T>,
): Promise<T> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel });
  const stripe = await connectStripe(config, logger);
  const services = await createServices(config, logger, stripe.target);
  try {
    return await run(services, config, logger);
  } finally {
    await services.close();
    await stripe.close();
  }
}

async function serve(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel });
  logger.info(
    {
      stripeMode: config.stripe.mode,
      emulated: config.stripe.emulated,
      database: config.databaseUrl ? 'postgres' : 'pglite',
    },
    'starting recur',
  );
  const stripe = await connectStripe(config, logger);
  const services = await createServices(config, logger, stripe.target);
  await services.database.migrate();
  const firstKey = await services.apiKeys.bootstrap(config.adminApiKey);
  if (firstKey) {
    // Printed once to the terminal, never logged: only its hash is kept.
    process.stdout.write(
      `\n  Admin API key (shown once, store it now):\n\n    ${firstKey}\n\n  Use it as: Authorization: Bearer ${firstKey.slice(0, 7)}…\n\n`,
    );
  }
  const { app } = await buildApp(services);
  await app.listen({ port: config.port, host: config.host });
  const { port: boundPort } = app.server.address() as AddressInfo;
  const bound = originOf(config.host, boundPort);
  services.publicOrigin.bind(bound);
  if (config.stripe.emulated) {
    // The emulator plays Stripe: it is told where to deliver, and hands back the signing secret.
    services.webhookSecrets.push(await registerWebhookEndpoint(services.stripe, `${bound}/stripe/webhook`));
  }
  if (config.events.workerInServe) await startWorker(services, config, logger);
  process.stdout.write(
    `  Recur ${VERSION} on ${bound}  (admin: ${bound}/admin, billing page: ${bound}/billing, API docs: ${bound}/docs)\n`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    await services.close();
    await stripe.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

async function startWorker(services: Services, config: Config, logger: Logger): Promise<void> {
  if (config.events.processingPaused) {
    logger.warn('RECUR_PROCESSING_PAUSED is set: webhooks are stored in the inbox but not processed');
    return;
  }
  await services.worker.start();
  services.notifications.start();
  logger.info(
    { queue: services.queue.kind, concurrency: config.events.workerConcurrency },
    'event worker started',
  );
  // Paused processing holds scheduled syncs too: both write the mirror.
  services.syncScheduler.start();
  services.overdueCheck.start();
}

async function worker(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel });
  const stripe = await connectStripe(config, logger);
  const services = await createServices(config, logger, stripe.target);
  await services.database.migrate();
  await startWorker(services, config, logger);
  const stop = async () => {
    await services.close();
    await stripe.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

function parseObjects(value: string): SyncObject[] {
  const { objects, unknown } = parseSyncObjects(value);
  if (unknown.length || !objects.length)
    throw new InvalidArgumentError(
      `unknown object(s) ${unknown.join(', ') || '(none given)'}; known: ${SYNC_OBJECTS.join(', ')}`,
    );
  return objects;
}

function parseMode(value: string): SyncMode {
  if (value !== 'full' && value !== 'incremental')
    throw new InvalidArgumentError('expected full or incremental');
  return value;
}

const program = new Command('recur').description('Subscription billing beside Stripe').version(VERSION);

program.command('serve').description('Run the HTTP API (applies pending migrations first)').action(serve);

program.command('worker').description('Apply inbox events to the billing mirror').action(worker);

program
  .command('migrate')
  .description('Apply pending database migrations')
  .action(() =>
    withServices(async (services) => {
      await services.database.migrate();
      process.stdout.write(`migrations applied (${services.database.kind})\n`);
    }),
  );

program
  .command('sync')
  .description('Backfill the mirror from Stripe (a stopped run resumes), or compare it with Stripe (--check)')
  .option('--objects <list>', `comma-separated: ${SYNC_OBJECTS.join(',')}`, parseObjects, [...SYNC_OBJECTS])
  .option('--mode <mode>', 'full, or incremental (history created since the last run)', parseMode, 'full')
  .option('--check', 'list differences between the mirror and Stripe; changes nothing (exit 1 when any)')
  .action((options: { objects: SyncObject[]; mode: SyncMode; check?: boolean }) =>
    withServices(async (services) => {
      await services.database.migrate();
      process.exitCode = await syncCommand(services, options);
    }),
  );

program
  .command('reports')
  .description('Maintain the reports’ tables')
  .command('rebuild')
  .description(
    'Derive MRR movements from the mirror and recompute the revenue rollup from its invoices and refunds (default), or derive movements only for subscriptions without any',
  )
  .option(
    '--missing',
    'keep recorded movements and the revenue rollup; derive movements only for subscriptions that have none',
  )
  .action((options: { missing?: boolean }) =>
    withServices(async (services) => {
      await services.database.migrate();
      const { subscriptions, revenueMonths } = await services.reports.rebuild(
        options.missing ? 'missing' : 'all',
      );
      process.stdout.write(`MRR movements derived for ${subscriptions} subscriptions\n`);
      if (revenueMonths !== undefined)
        process.stdout.write(`Revenue rollup recomputed: ${revenueMonths} month, currency and plan rows\n`);
    }),
  );

function integer(min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

program
  .command('demo')
  .description('Fill the Stripe emulator with a year of billing history, applied by Recur as it arrives')
  .option('--customers <n>', 'customers to sign up', integer(MIN_CUSTOMERS, 2000), 60)
  .option('--months <n>', 'months of history, up to now', integer(MIN_MONTHS, 24), 12)
  .option('--seed <n>', 'seed of the history: the same seed makes the same history', integer(0, 2 ** 31), 1)
  .option('--force', 'add another history when one is already there')
  .action(async (options: { customers: number; months: number; seed: number; force?: boolean }) => {
    process.exitCode = await demoCommand(loadConfigOrExit(), options);
  });

program
  .command('emulator')
  .description('Run the Stripe emulator alone (answers the official Stripe SDK offline)')
  .option('--port <port>', 'port to listen on (default RECUR_EMULATOR_PORT)', (v) => {
    const port = Number(v);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new InvalidArgumentError('expected a port number');
    return port;
  })
  .action(async (options: { port?: number }) => {
    const config = loadConfigOrExit();
    await runStandaloneEmulator(
      config,
      options.port ?? config.stripe.emulatorPort,
      createLogger({ level: config.logLevel }),
    );
  });

await program.parseAsync(process.argv);
