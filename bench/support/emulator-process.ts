/**
 * The Stripe emulator in a process of its own, as Stripe is a server of its own: its work (listing,
 * serialising) then takes no time from the process being measured. Answers the parent once with
 * its URL and runs until it is killed. Faults are set over its control API (`/_emulator/faults`).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface EmulatorProcess {
  url: string;
  setFaults(settings: Record<string, unknown>): Promise<void>;
  close(): void;
}

/** Starts the emulator process and resolves once it listens. */
export function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child = fork(fileURLToPath(new URL('./emulator-child.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator process exited with ${code}`)));
    child.once('message', (message: { url: string }) =>
      resolve({
        url: message.url,
        async setFaults(settings) {
          const response = await fetch(`${message.url}/_emulator/faults`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(settings),
          });
          if (!response.ok) throw new Error(`emulator refused faults: ${response.status}`);
        },
        close: () => child.kill(),
      }),
    );
  });
}
