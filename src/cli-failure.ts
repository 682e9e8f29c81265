import { DataFolderBusyError } from './shared/data-folder-lock.js';

/** A failure the operator can act on, said in one line (after `recur: `). */
export class CliError extends Error {}

/** Binding a port failed because something listens there already: the one line names both. */
export function portInUse(error: unknown, port: number, variable: string, what: string): Error {
  if ((error as NodeJS.ErrnoException | null)?.code !== 'EADDRINUSE') return error as Error;
  return new CliError(
    `port ${port} is already in use (${what}); stop what listens there or set ${variable} to a free port`,
  );
}

/** What a failed command prints: the message alone, never a stack trace. */
export function failureLine(error: unknown): string {
  if (error instanceof CliError || error instanceof DataFolderBusyError) return `recur: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n').find((line) => line.trim()) ?? 'unknown error';
  return `recur: failed: ${first.trim()}`;
}

/**
 * The CLI's one way out on a failure, wherever it happens (the command's promise, a timer, a stray
 * rejection): one line on stderr and exit code 1.
 */
export async function runCli(main: () => Promise<void>): Promise<void> {
  const fail = (error: unknown) => {
    process.stderr.write(`${failureLine(error)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  try {
    await main();
  } catch (error) {
    fail(error);
  }
}
