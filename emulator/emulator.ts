/**
 * Assembles the emulator: state, clock, faults, event log, webhook dispatcher, the resource
 * modules, and the node:http server in front of them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { handleApiRequest } from './core/api-pipeline.js';
import { Clock } from './core/clock.js';
import type { EmulatorContext, EmulatorModule, RawHandler, RouteDefinition } from './core/context.js';
import { handleControlRequest } from './core/control-routes.js';
import { EventLog } from './core/events.js';
import { ExpandRegistry } from './core/expand.js';
import { Faults } from './core/faults.js';
import { IdempotencyKeys } from './core/idempotency.js';
import { type Logger, silentLogger } from './core/logger.js';
import { ReferenceRegistry } from './core/references.js';
import { Router } from './core/router.js';
import {
  loadSnapshot,
  removeLeftoverTemps,
  type SnapshotWriter,
  startSnapshotWriter,
} from './core/snapshot.js';
import { Store } from './core/store.js';
import {
  DEFAULT_WEBHOOK_SETTINGS,
  WebhookDispatcher,
  type WebhookSettings,
} from './core/webhook-dispatcher.js';
import { builtInModules } from './modules.js';
import { webhookTargets } from './webhooks/endpoint-store.js';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** JSON file the state is loaded from at start and saved to after writes and on close. */
  snapshotPath?: string;
  /**
   * The webhook deliveries a snapshot still owes: made as the emulator starts (the default), or held
   * until `resumeWebhooks()`, for a host that starts its receiver after the emulator.
   */
  savedWebhooks?: 'deliver' | 'hold';
  logger?: Logger;
  /** Seed of the generator behind every fault decision. */
  seed?: number;
  webhooks?: Partial<WebhookSettings>;
  /** Modules installed after the built-in ones. */
  modules?: EmulatorModule[];
}

export interface Emulator {
  url: string;
  host: string;
  port: number;
  /** Everything a module sees; tests use it to reach the store, clock and events directly. */
  context: EmulatorContext;
  faults: Faults;
  clock: Clock;
  store: Store;
  events: EventLog;
  /** Forgets all state: objects, events, idempotency keys, webhook endpoints, faults, clock override. */
  reset(): Promise<void>;
  close(): Promise<void>;
  /** Resolves when no webhook delivery is queued, waiting for a retry, or in flight. */
  webhooksIdle(): Promise<void>;
  /** Webhook deliveries queued, waiting for a retry, or in flight at this moment. */
  webhooksOutstanding(): number;
  /** Writes the snapshot now (when a snapshot path is set). */
  flushSnapshot(): Promise<void>;
  /** Delivers the webhooks a snapshot still owed and `savedWebhooks: 'hold'` held; answers how many. */
  resumeWebhooks(): number;
  /** Every API route the installed modules declared, with its parameters. */
  declaredRoutes(): RouteDefinition[];
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const logger = options.logger ?? silentLogger;
  const store = new Store();
  const clock = new Clock();
  const faults = new Faults(options.seed);
  const events = new EventLog(store, clock, Stripe.API_VERSION);
  const expand = new ExpandRegistry(store);
  const references = new ReferenceRegistry(store, clock);
  const idempotency = new IdempotencyKeys(store, clock);
  const routes = new Router<RouteDefinition>();
  const rawRoutes: Array<{ prefix: string; handler: RawHandler }> = [];
  const resetHooks: Array<() => void> = [];
  const closeHooks: Array<() => void | Promise<void>> = [];
  let baseUrl = '';

  const dispatcher = new WebhookDispatcher(
    events,
    webhookTargets(store),
    faults,
    { ...DEFAULT_WEBHOOK_SETTINGS, ...options.webhooks },
    logger,
    store,
  );
  events.useDispatcher(dispatcher);

  const context: EmulatorContext = {
    store,
    clock,
    events,
    expand,
    references,
    faults,
    logger,
    baseUrl: () => baseUrl,
    route: (definition) => routes.add(definition.method, definition.path, definition as RouteDefinition),
    raw: (prefix, handler) => {
      if (prefix.startsWith('/v1/') || prefix.startsWith('/_emulator/')) {
        throw new Error(`Raw routes cannot take over ${prefix}`);
      }
      rawRoutes.push({ prefix, handler });
    },
    onReset: (hook) => resetHooks.push(hook),
    onClose: (hook) => closeHooks.push(hook),
  };
  for (const module of [...builtInModules, ...(options.modules ?? [])]) module.install(context);

  let snapshot: SnapshotWriter | null = null;
  if (options.snapshotPath) {
    await removeLeftoverTemps(options.snapshotPath);
    await loadSnapshot(store, options.snapshotPath);
    snapshot = startSnapshotWriter(store, options.snapshotPath, (err) =>
      logger.error({ err }, 'emulator snapshot write failed'),
    );
  }
  const resumeWebhooks = () => {
    const owed = dispatcher.resumeSaved();
    if (owed) logger.info({ deliveries: owed }, 'delivering the webhooks still owed from before the restart');
    return owed;
  };
  if (options.savedWebhooks !== 'hold') resumeWebhooks();

  const reset = async () => {
    dispatcher.clear();
    store.reset();
    idempotency.reset();
    faults.reset();
    clock.set(null);
    for (const hook of resetHooks) hook();
  };
  const pipeline = {
    routes,
    faults,
    idempotency,
    expand,
    references,
    logger,
    apiVersion: Stripe.API_VERSION,
  };
  const control = {
    faults,
    clock,
    reset,
    webhooksIdle: () => dispatcher.idle(),
    counts: () => store.counts(),
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const query = queryAt === -1 ? '' : url.slice(queryAt + 1);
    const fail = (err: unknown) => {
      logger.error({ err, path }, 'emulator request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    };
    if (path.startsWith('/_emulator/')) {
      handleControlRequest(control, req, res, path).catch(fail);
      return;
    }
    if (!path.startsWith('/v1/')) {
      const raw = rawRoutes.find((r) => path.startsWith(r.prefix));
      if (raw) {
        Promise.resolve(raw.handler(req, res, new URL(url, baseUrl))).catch(fail);
        return;
      }
    }
    handleApiRequest(pipeline, req, res, path, query).catch(fail);
  });
  server.keepAliveTimeout = 30_000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url: baseUrl }, 'stripe emulator listening');

  return {
    url: baseUrl,
    host,
    port,
    context,
    faults,
    clock,
    store,
    events,
    reset,
    webhooksIdle: () => dispatcher.idle(),
    webhooksOutstanding: () => dispatcher.outstandingDeliveries,
    flushSnapshot: async () => {
      await snapshot?.flush();
    },
    resumeWebhooks,
    declaredRoutes: () => routes.all().map((r) => r.value),
    async close() {
      dispatcher.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const hook of closeHooks) await hook();
      await snapshot?.close();
    },
  };
}
