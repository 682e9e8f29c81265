import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { asSystem } from '../audit/context.js';
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/client.js';
import { apiKeys } from '../db/schema/index.js';
import { newId, randomToken } from '../shared/ids.js';

export type ApiKeyRole = 'admin' | 'service';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(): string {
  return `rk_${randomToken(32)}`;
}

export interface ApiKeyView {
  id: string;
  name: string;
  role: ApiKeyRole;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

function toView(row: typeof apiKeys.$inferSelect): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
  };
}

/** Keys a process remembers at the most; past that it forgets them all and reads again. */
const MAX_REMEMBERED = 10_000;
/** Last use is informational: written at most once a minute per key, not on every request. */
const LAST_USED_EVERY_MS = 60_000;

interface KnownKey {
  id: string;
  role: ApiKeyRole;
  /** Trusted without a read until then. */
  until: number;
  lastUsedAt: number;
}

export class ApiKeyService {
  /** Keys found valid lately, by hash: a request with one reads nothing until `until`. */
  private readonly known = new Map<string, KnownKey>();

  constructor(
    private readonly db: Db,
    /** How long a key found valid is trusted without a read (RECUR_API_KEY_CACHE_SECONDS). */
    private readonly cacheMs = 0,
  ) {}

  /** Returns the plaintext key once; only its hash is kept. */
  async create(
    name: string,
    role: ApiKeyRole,
    key = generateApiKey(),
  ): Promise<{ key: string; apiKey: ApiKeyView }> {
    const row = await this.db.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(apiKeys)
        .values({ id: newId('key'), name, role, prefix: key.slice(0, 7), hash: hashApiKey(key) })
        .returning();
      await recordAudit(tx, {
        action: 'api_key.create',
        objectType: 'api_key',
        objectId: inserted!.id,
        after: { name, role, prefix: inserted!.prefix },
      });
      return inserted!;
    });
    return { key, apiKey: toView(row) };
  }

  /**
   * The key's id and role, or null for an unknown or revoked key. A key found valid is trusted for
   * `cacheMs` without a read; an unknown one is read every time, so a new key works at once.
   */
  async authenticate(key: string): Promise<{ id: string; role: ApiKeyRole } | null> {
    const hash = hashApiKey(key);
    const now = Date.now();
    const known = this.known.get(hash);
    if (known && known.until > now && now - known.lastUsedAt <= LAST_USED_EVERY_MS)
      return { id: known.id, role: known.role };
    const [row] = await this.db
      .select({ id: apiKeys.id, role: apiKeys.role, lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)));
    if (!row) {
      this.known.delete(hash);
      return null;
    }
    let lastUsedAt = row.lastUsedAt?.getTime() ?? 0;
    if (now - lastUsedAt > LAST_USED_EVERY_MS) {
      await this.db
        .update(apiKeys)
        .set({ lastUsedAt: new Date(now) })
        .where(eq(apiKeys.id, row.id));
      lastUsedAt = now;
    }
    if (this.cacheMs > 0) {
      if (this.known.size >= MAX_REMEMBERED) this.known.clear();
      this.known.set(hash, { id: row.id, role: row.role, until: now + this.cacheMs, lastUsedAt });
    }
    return { id: row.id, role: row.role };
  }

  /** Forgets every remembered key: the next request with each reads it again. */
  forget(): void {
    this.known.clear();
  }

  async list(): Promise<ApiKeyView[]> {
    const rows = await this.db.select().from(apiKeys).orderBy(apiKeys.createdAt);
    return rows.map(toView);
  }

  async revoke(id: string): Promise<ApiKeyView | null> {
    const view = await this.revokeRow(id);
    // Forgotten here once the revoke is committed; another process trusts it `cacheMs` at most.
    for (const [hash, known] of this.known) if (known.id === id) this.known.delete(hash);
    return view;
  }

  private async revokeRow(id: string): Promise<ApiKeyView | null> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for('update');
      if (!before) return null;
      const [row] = await tx
        .update(apiKeys)
        .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
        .where(eq(apiKeys.id, id))
        .returning();
      await recordAudit(tx, {
        action: 'api_key.revoke',
        objectType: 'api_key',
        objectId: id,
        before: { revoked_at: before.revokedAt },
        after: { revoked_at: row!.revokedAt },
      });
      return toView(row!);
    });
  }

  async countActiveAdmins(): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(apiKeys)
      .where(and(eq(apiKeys.role, 'admin'), isNull(apiKeys.revokedAt)));
    return row?.n ?? 0;
  }

  /**
   * At start: a configured key is registered (idempotently) as an admin key; with none configured
   * and no admin key stored, one is created and returned so the caller can print it once.
   */
  async bootstrap(configuredKey: string | undefined): Promise<string | null> {
    return asSystem('start-up: admin key bootstrap', () => this.bootstrapKey(configuredKey));
  }

  private async bootstrapKey(configuredKey: string | undefined): Promise<string | null> {
    if (configuredKey) {
      await this.db
        .insert(apiKeys)
        .values({
          id: newId('key'),
          name: 'RECUR_ADMIN_API_KEY',
          role: 'admin',
          prefix: configuredKey.slice(0, 7),
          hash: hashApiKey(configuredKey),
        })
        .onConflictDoNothing({ target: apiKeys.hash });
      return null;
    }
    if ((await this.countActiveAdmins()) > 0) return null;
    const { key } = await this.create('initial admin key', 'admin');
    return key;
  }
}
