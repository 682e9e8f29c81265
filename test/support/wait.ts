import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import type { TestApp } from './app.js';

/** Polls `check` until it holds or `timeoutMs` passes; the last failure is rethrown. */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/** Waits until the emulator has delivered everything and the worker has applied every event. */
export async function settled(t: TestApp, timeoutMs = 15_000): Promise<void> {
  await t.emulator.webhooksIdle();
  await eventually(async () => {
    const [row] = await queryRows<{ waiting: number }>(
      t.database.db,
      sql`select count(*)::int as waiting from events where status in ('received', 'failed')`,
    );
    if (row!.waiting > 0) throw new Error(`${row!.waiting} events still waiting`);
  }, timeoutMs);
}
