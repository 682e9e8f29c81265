import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { buildApp } from './app.js';
import { asSystem } from './audit/context.js';
import { verifyAuditChain } from './audit/verify.js';
import { CliError, portInUse, runCli } from './cli-failure.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { demoCommand } from './demo/command.js';
import { MIN_CUSTOMERS, MIN_MONTHS } from './demo/scenario.js';
import { connectStripe, runStandaloneEmulator, type StripeConnection } from './embedded-stripe.js';
import { originOf } from './http/public-origin.js';
import { createLogger, type Logger } from './observability/logger.js';
import { resealWithCurrentKey } from './security/reseal.js';
import { createServices, type Services, VERSION } from './services.js';
import { claimDataFolder } from './shared/data-folder-lock.js';
import { keptWebhookEndpoint } from './stripe/webhook-endpoints.js';
import { syncCommand } from './sync/command.js';
import { parseSyncObjects, SYNC_OBJECTS, type SyncMode, type SyncObject } from './sync/objects.js';

function loadConfigOrFail(): Config {
  try {
    return loadConfig();
  } catch (error) {
    throw error instanceof ConfigError ? new CliError(error.message) : error;
  }
}

/**
 * The data folder has one owner at a time when anything lives in it: the embedded database, the
 * emulator's state. With PostgreSQL and a real Stripe, processes share nothing there and scale out.
 */
function claimDataFolderOf(config: Config, command: string): void {
  if (!config.databaseUrl || config.stripe.emulated) claimDataFolder(config.dataDir, command);
}

interface Opened {
  config: Config;
  logger: Logger;
  stripe: StripeConnection;
  services: Services;
  close(): Promise<void>;
}

/** Claims the data folder, then opens Stripe (starting the built-in emulator unless told not to) and the services. */
async function open(command: string, options: { startEmulator?: boolean } = {}): Promise<Opened> {
  const config = loadConfigOrFail();
  claimDataFolderOf(config, command);
  const logger = createLogger({ level: config.logLevel });
  const stripe = await connectStripe(config, logger, options);
  const services = await createServices(config, logger, stripe.target);
  return {
    config,
    logger,
    stripe,
    services,
    async close() {
      await services.close();
      await stripe.close();
    },
  };
}

/** Opens everything a command needs, runs it, and closes it all again. */
async function withServices<T>(
  command: string,
  run: (services: Services, config: Config, logger: Logger) => Promise<T>,
  options: { startEmulator?: boolean } = {},
): Promise<T> {
  const opened = await open(command, options);
  try {
    return await run(opened.services, opened.config, opened.logger);
  } finally {
    await opened.close();
  }
}

async function serve(): Promise<void> {
  const { config, logger, services, stripe, close } = await open('serve');
  logger.info(
    {
      stripeMode: config.stripe.mode,
      emulated: config.stripe.emulated,
      database: config.databaseUrl ? 'postgres' : 'pglite',
    },
    'starting recur',
  );
  await services.database.migrate();
  const { app } = await buildApp(services);
  // Listening comes before the first admin key: a port in use fails before a key is made and shown.
  await app.listen({ port: config.port, host: config.host }).catch((error: unknown) => {
    throw portInUse(error, config.port, 'PORT', "Recur's HTTP server listens there");
  });
  const firstKey = await services.apiKeys.bootstrap(config.adminApiKey);
  if (firstKey) {
    // Printed once to the terminal, never logged: only its hash is kept.
    process.stdout.write(
      `\n  Admin API key (shown once, store it now):\n\n    ${firstKey}\n\n  Use it as: Authorization: Bearer ${firstKey.slice(0, 7)}…\n  Lost it? \`recur api-keys create --role admin\` makes another.\n\n`,
    );
  }
  const { port: boundPort } = app.server.address() as AddressInfo;
  const bound = originOf(config.host, boundPort);
  services.publicOrigin.bind(bound);
  if (config.stripe.emulated) {
    // The emulator plays Stripe: it is told where to deliver, and hands back the signing secret.
    const endpointFile = join(config.dataDir, 'webhook-endpoint.json');
    services.webhookSecrets.push(
      await keptWebhookEndpoint(services.stripe, `${bound}/stripe/webhook`, endpointFile),
    );
    stripe.receiving();
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
    await close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

async function startWorker(services: Services, config: Config, logger: Logger): Promise<void> {
  // Alerts run while processing is paused too: refused signatures and disputes still arrive.
  services.alertMonitor.start();
  if (config.events.processingPaused) {
    logger.warn('RECUR_PROCESSING_PAUSED is set: webhooks are stored in the inbox but not processed');
    return;
  }
  await services.worker.start();
  services.notifications.start();
  services.appWebhooks.start();
  logger.info(
    { queue: services.queue.kind, concurrency: config.events.workerConcurrency },
    'event worker started',
  );
  // Paused processing holds scheduled syncs too: both write the mirror.
  services.syncScheduler.start();
  services.overdueCheck.start();
  services.priceMigrations.runner.start();
  services.reservationSweep.start();
  services.retentionSweep.start();
  services.credits.expirySweep.start();
  services.auditRetention.start({ runNow: true });
  services.metering.reporter.start();
}

async function worker(): Promise<void> {
  const { config, logger, services, close } = await open('worker');
  await services.database.migrate();
  await startWorker(services, config, logger);
  const stop = async () => {
    await close();
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
    withServices('migrate', async (services) => {
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
    withServices('sync', async (services) => {
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
    withServices('reports rebuild', async (services) => {
      await services.database.migrate();
      const { subscriptions, revenueMonths } = await services.reports.rebuild(
        options.missing ? 'missing' : 'all',
      );
      process.stdout.write(`MRR movements derived for ${subscriptions} subscriptions\n`);
      if (revenueMonths !== undefined)
        process.stdout.write(`Revenue rollup recomputed: ${revenueMonths} month, currency and plan rows\n`);
    }),
  );

program
  .command('reseal')
  .description(
    'After adding a new RECUR_ENCRYPTION_KEY in front of the old ones: seal every stored value with the new key and recompute the email look-up hashes and the name index, so the old keys can be removed',
  )
  .action(() =>
    withServices(
      'reseal',
      async (services) => {
        await services.database.migrate();
        const { resealed, rehashed, reindexed } = await resealWithCurrentKey(
          services.database.db,
          services.cipher,
        );
        for (const [column, count] of Object.entries(resealed))
          process.stdout.write(`${column}: ${count} re-sealed\n`);
        process.stdout.write(`customers.email_hash: ${rehashed} recomputed\n`);
        process.stdout.write(`customers.name_prefixes: ${reindexed} recomputed\n`);
        process.stdout.write(
          `Every value is sealed with key ${services.cipher.currentKeyId}: remove the other keys from RECUR_ENCRYPTION_KEY, restart every instance, then run recur reseal once more.\n`,
        );
      },
      { startEmulator: false },
    ),
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
    const config = loadConfigOrFail();
    claimDataFolderOf(config, 'demo');
    process.exitCode = await demoCommand(config, options);
  });

program
  .command('api-keys')
  .description('Manage API keys locally, against the database (a way back in when no admin key is at hand)')
  .command('create')
  .description('Make an API key and print it once (only its hash is kept)')
  .requiredOption('--role <role>', 'admin or service', (value) => {
    if (value !== 'admin' && value !== 'service') throw new InvalidArgumentError('expected admin or service');
    return value;
  })
  .option('--name <name>', 'what the key is for', 'made with recur api-keys create')
  .action((options: { role: 'admin' | 'service'; name: string }) =>
    // Only the database is needed: Stripe is not asked, so the emulator is not started.
    withServices(
      'api-keys create',
      async (services) => {
        await services.database.migrate();
        const { key, apiKey } = await asSystem('cli: recur api-keys create', () =>
          services.apiKeys.create(options.name, options.role),
        );
        process.stdout.write(`${apiKey.role} API key ${apiKey.id} (shown once, store it now):\n${key}\n`);
      },
      { startEmulator: false },
    ),
  );

program
  .command('audit')
  .description('Check the audit trail')
  .command('verify')
  .description(
    'Walk the audit trail’s hash chain; exits 1 and names the first row that was altered or follows a removed one',
  )
  .action(() =>
    withServices(
      'audit verify',
      async (services) => {
        await services.database.migrate();
        const result = await verifyAuditChain(services.database.db);
        if (result.ok) {
          process.stdout.write(`audit trail intact: ${result.rows} rows, head ${result.head}\n`);
          return;
        }
        process.stdout.write(
          `audit trail broken at row ${result.bad.id} (seq ${result.bad.seq}): ${result.bad.reason}; ${result.rows} rows before it are intact\n`,
        );
        process.exitCode = 1;
      },
      { startEmulator: false },
    ),
  );

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
    const config = loadConfigOrFail();
    claimDataFolderOf(config, 'emulator');
    await runStandaloneEmulator(
      config,
      options.port ?? config.stripe.emulatorPort,
      createLogger({ level: config.logLevel }),
    );
  });

await runCli(async () => {
  await program.parseAsync(process.argv);
});
