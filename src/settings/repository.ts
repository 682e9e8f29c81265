import { eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { settings } from '../db/schema/index.js';

export const settingsRepository = {
  async read(db: DbOrTx, keys: string[]): Promise<Map<string, unknown>> {
    const rows = await db.select().from(settings).where(inArray(settings.key, keys));
    return new Map(rows.map((r) => [r.key, r.value]));
  },

  async write(db: DbOrTx, values: Record<string, unknown>): Promise<void> {
    for (const [key, value] of Object.entries(values)) {
      await db
        .insert(settings)
        .values({ key, value })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
    }
  },

  /** The value of `key`, its row locked until the transaction ends; empty when there is none. */
  async readForUpdate(tx: DbOrTx, key: string): Promise<unknown[]> {
    const rows = await tx.select().from(settings).where(eq(settings.key, key)).for('update');
    return rows.map((r) => r.value);
  },

  /** Stores the value unless the key already has one, and returns the stored value either way. */
  async insertIfAbsent(db: DbOrTx, key: string, value: unknown): Promise<unknown> {
    await db.insert(settings).values({ key, value }).onConflictDoNothing({ target: settings.key });
    const [row] = await db.select().from(settings).where(eq(settings.key, key));
    return row?.value;
  },
};
