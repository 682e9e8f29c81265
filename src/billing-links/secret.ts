import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import { settingsRepository } from '../settings/repository.js';
import type { PiiCipher } from '../shared/crypto.js';

const SETTING_KEY = 'billing_link_secret';

/**
 * The key billing links are signed with: RECUR_BILLING_LINK_SECRET, or else one generated at first
 * use and kept in the settings table, sealed with the encryption key. The first instance to store
 * one wins and every other reads it back, so all instances agree and restarts keep old links valid.
 * Read lazily: `recur serve` builds its services before it applies migrations.
 */
export class BillingLinkSecret {
  private loading: Promise<Uint8Array> | null = null;

  constructor(private readonly deps: { db: Db; cipher: PiiCipher; configured: string | undefined }) {}

  key(): Promise<Uint8Array> {
    this.loading ??= this.load().catch((error: unknown) => {
      // A database hiccup must not poison every later request.
      this.loading = null;
      throw error;
    });
    return this.loading;
  }

  private async load(): Promise<Uint8Array> {
    const { db, cipher, configured } = this.deps;
    if (configured) return new TextEncoder().encode(configured);
    const candidate = { sealed: cipher.encrypt(randomBytes(32).toString('base64url')) };
    const stored = (await settingsRepository.insertIfAbsent(db, SETTING_KEY, candidate)) as
      | { sealed?: unknown }
      | undefined;
    if (typeof stored?.sealed !== 'string') throw new Error(`setting ${SETTING_KEY} is not a sealed secret`);
    return new TextEncoder().encode(cipher.decrypt(stored.sealed));
  }
}
