import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiKeyService } from '../src/auth/api-keys.js';
import type { Database } from '../src/db/client.js';
import { apiKeys } from '../src/db/schema/index.js';
import { openTestDatabase, truncateAll } from './support/db.js';

/**
 * A process trusts a key it found valid for RECUR_API_KEY_CACHE_SECONDS without reading it again:
 * a revoke through the service takes effect at once in that process, and one made elsewhere (here:
 * straight in the table, as another process's would be) once the window has passed.
 */
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());
beforeEach(() => truncateAll(database));

/** Revokes the key as another process would: its row changes, this process is not told. */
const revokeElsewhere = (id: string) =>
  database.db.update(apiKeys).set({ revokedAt: sql`now()` }).where(eq(apiKeys.id, id));

describe('the API key cache', () => {
  it('trusts a valid key without reading it within the window, and reads it again after', async () => {
    const WINDOW_MS = 400;
    const service = new ApiKeyService(database.db, WINDOW_MS);
    const { key, apiKey } = await service.create('cached', 'service');
    expect(await service.authenticate(key)).toEqual({ id: apiKey.id, role: 'service' });
    const revokedAt = Date.now();
    await revokeElsewhere(apiKey.id);
    // Within the window the key is still trusted: nothing was read.
    expect(await service.authenticate(key)).toEqual({ id: apiKey.id, role: 'service' });
    // Once the window has passed the key is read again, and refused.
    let refusedAt = 0;
    while (!refusedAt && Date.now() - revokedAt < 30_000) {
      if ((await service.authenticate(key)) === null) refusedAt = Date.now();
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refusedAt).toBeGreaterThan(0);
    expect(refusedAt - revokedAt).toBeGreaterThanOrEqual(WINDOW_MS - 50);
  });

  it('forgets a key revoked through the service at once', async () => {
    const service = new ApiKeyService(database.db, 60_000);
    const { key, apiKey } = await service.create('revoked here', 'admin');
    expect(await service.authenticate(key)).not.toBeNull();
    await service.revoke(apiKey.id);
    expect(await service.authenticate(key)).toBeNull();
  });

  it('reads every time with no window, and never remembers an unknown key', async () => {
    const service = new ApiKeyService(database.db, 0);
    const { key, apiKey } = await service.create('uncached', 'service');
    expect(await service.authenticate(key)).not.toBeNull();
    await revokeElsewhere(apiKey.id);
    expect(await service.authenticate(key)).toBeNull();

    const cached = new ApiKeyService(database.db, 60_000);
    const later = 'rk_created_after_a_miss_0000000000';
    expect(await cached.authenticate(later)).toBeNull();
    await cached.create('created after a miss', 'service', later);
    expect(await cached.authenticate(later)).not.toBeNull();
  });

  it('still writes last use at most once a minute while the key is trusted', async () => {
    const service = new ApiKeyService(database.db, 60_000);
    const { key, apiKey } = await service.create('last use', 'service');
    await service.authenticate(key);
    const [first] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(first!.lastUsedAt).not.toBeNull();
    // Last use more than a minute ago: the next request writes it again, though the key is trusted.
    await database.db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now() - interval '2 minutes'` })
      .where(eq(apiKeys.id, apiKey.id));
    service.forget();
    await service.authenticate(key);
    const [second] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(Date.now() - second!.lastUsedAt!.getTime()).toBeLessThan(30_000);
  });
});
