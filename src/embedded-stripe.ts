import { join } from 'node:path';
import type { Logger } from 'pino';
import { runEmulatorCli, startEmulator } from '../emulator/index.js';
import type { Config } from './config.js';
import type { StripeTarget } from './stripe/index.js';

/** The key Recur presents to its built-in emulator; the emulator accepts any test key. */
export const EMULATOR_SECRET_KEY = 'sk_test_recur_embedded_emulator';

export interface StripeConnection {
  target: StripeTarget;
  close(): Promise<void>;
}

/**
 * The composition root's one link to `emulator/`: with no Stripe key configured, Recur starts the
 * emulator in-process (state kept beside Recur's data) and talks to it through the official SDK,
 * exactly as it would talk to api.stripe.com.
 */
export async function connectStripe(config: Config, logger: Logger): Promise<StripeConnection> {
  if (config.stripe.secretKey) {
    const target = config.stripe.apiBase
      ? { secretKey: config.stripe.secretKey, apiBase: config.stripe.apiBase }
      : { secretKey: config.stripe.secretKey };
    return { target, close: async () => {} };
  }
  const emulator = await startEmulator({
    port: config.stripe.emulatorPort,
    host: '127.0.0.1',
    snapshotPath: join(config.dataDir, 'emulator.json'),
    logger: logger.child({ component: 'stripe-emulator' }),
  });
  logger.info({ url: emulator.url }, 'no STRIPE_SECRET_KEY set: using the built-in Stripe emulator');
  return { target: { secretKey: EMULATOR_SECRET_KEY, apiBase: emulator.url }, close: () => emulator.close() };
}

/** `recur emulator`: the Stripe emulator alone, in the foreground, with its state in the data folder. */
export async function runStandaloneEmulator(config: Config, port: number, logger: Logger): Promise<void> {
  await runEmulatorCli({
    port,
    host: config.host,
    snapshotPath: join(config.dataDir, 'emulator.json'),
    logger: logger.child({ component: 'stripe-emulator' }),
  });
}
