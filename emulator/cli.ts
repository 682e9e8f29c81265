/**
 * `recur emulator`: the emulator on its own, in the foreground, until SIGINT/SIGTERM.
 */
import type { Logger } from './core/logger.js';
import { type Emulator, startEmulator } from './emulator.js';

export interface EmulatorCliOptions {
  port?: number;
  host?: string;
  snapshotPath?: string;
  seed?: number;
  logger?: Logger;
}

const consoleLogger: Logger = {
  info: (details, message) => console.log(message ?? '', JSON.stringify(details)),
  warn: (details, message) => console.warn(message ?? '', JSON.stringify(details)),
  error: (details, message) => console.error(message ?? '', JSON.stringify(details)),
};

/** Starts the emulator (default port 12111) and stops it cleanly on SIGINT or SIGTERM. */
export async function runEmulatorCli(options: EmulatorCliOptions = {}): Promise<Emulator> {
  const logger = options.logger ?? consoleLogger;
  const emulator = await startEmulator({
    port: options.port ?? 12111,
    host: options.host ?? '127.0.0.1',
    logger,
    ...(options.snapshotPath !== undefined && { snapshotPath: options.snapshotPath }),
    ...(options.seed !== undefined && { seed: options.seed }),
  });
  logger.info(
    {
      url: emulator.url,
      example: `new Stripe('sk_test_…', { host: '${emulator.host}', port: ${emulator.port}, protocol: 'http' })`,
    },
    'Stripe emulator ready',
  );
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'emulator did not close cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return emulator;
}
