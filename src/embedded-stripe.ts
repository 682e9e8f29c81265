import { join } from 'node:path';
import type { Logger } from 'pino';
import { runEmulatorCli, startEmulator } from '../emulator/index.js';
import { portInUse } from './cli-failure.js';
import type { Config } from './config.js';
import type { StripeTarget } from './stripe/index.js';

/** The key Recur presents to its built-in emulator; the emulator accepts any test key. */
export const EMULATOR_SECRET_KEY = 'sk_test_recur_embedded_emulator';

export interface StripeConnection {
  target: StripeTarget;
  /**
   * Recur's webhook endpoint listens now: the built-in emulator delivers what it still owed from
   * before a restart (held until then, so that no attempt is spent on a server not yet up).
   */
  receiving(): void;
  close(): Promise<void>;
}

/**
 * The composition root's one link to `emulator/`: with no Stripe key configured, Recur starts the
 * emulator in-process (state kept beside Recur's data) and talks to it through the official SDK,
 * exactly as it would talk to api.stripe.com.
 */
export async function connectStripe(
  config: Config,
  logger: Logger,
  options: { startEmulator?: boolean } = {},
): Promise<StripeConnection> {
  if (config.stripe.secretKey) {
    const target = config.stripe.apiBase
      ? { secretKey: config.stripe.secretKey, apiBase: config.stripe.apiBase }
      : { secretKey: config.stripe.secretKey };
    return { target, receiving: () => {}, close: async () => {} };
  }
  const port = config.stripe.emulatorPort;
  if (options.startEmulator === false) {
    // For a command that never asks Stripe: where the emulator answers when Recur runs it.
    return {
      target: { secretKey: EMULATOR_SECRET_KEY, apiBase: `http://127.0.0.1:${port}` },
      receiving: () => {},
      close: async () => {},
    };
  }
  const emulator = await startEmulator({
    port,
    host: '127.0.0.1',
    snapshotPath: join(config.dataDir, 'emulator.json'),
    savedWebhooks: 'hold',
    logger: logger.child({ component: 'stripe-emulator' }),
  }).catch((error: unknown) => {
    throw portInUse(error, port, 'RECUR_EMULATOR_PORT', 'the built-in Stripe emulator listens there');
  });
  logger.info({ url: emulator.url }, 'no STRIPE_SECRET_KEY set: using the built-in Stripe emulator');
  return {
    target: { secretKey: EMULATOR_SECRET_KEY, apiBase: emulator.url },
    receiving: () => void emulator.resumeWebhooks(),
    close: () => emulator.close(),
  };
}

/** `recur emulator`: the Stripe emulator alone, in the foreground, with its state in the data folder. */
export async function runStandaloneEmulator(config: Config, port: number, logger: Logger): Promise<void> {
  await runEmulatorCli({
    port,
    host: config.host,
    snapshotPath: join(config.dataDir, 'emulator.json'),
    logger: logger.child({ component: 'stripe-emulator' }),
  }).catch((error: unknown) => {
    throw portInUse(error, port, 'RECUR_EMULATOR_PORT (or --port)', 'the Stripe emulator listens there');
  });
}
