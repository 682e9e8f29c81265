/**
 * CPU profiles of one phase of a benchmark, so a profile shows that phase's hot spots and not
 * start-up, warm-up or the other phases. Opened in Chrome DevTools or any .cpuprofile viewer.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export interface PhaseProfiler {
  /** Profiles `run` into `<dir>/<name>.cpuprofile` when a directory was given; runs it plain otherwise. */
  around<T>(name: string, run: () => Promise<T>): Promise<T>;
}

export function phaseProfiler(dir: string | undefined): PhaseProfiler {
  return {
    async around(name, run) {
      if (!dir) return run();
      const session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      try {
        return await run();
      } finally {
        const { profile } = await session.post('Profiler.stop');
        await writeFile(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
        session.disconnect();
      }
    },
  };
}
