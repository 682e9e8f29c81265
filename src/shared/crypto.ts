import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync } from 'node:crypto';
import { pooledRandomBytes } from './random-pool.js';

const VERSION = 'v1';

/**
 * Encrypts personal data at rest (emails, names, event payloads) with AES-256-GCM. Each value
 * names the key that sealed it (`v1.<keyId>.<iv>.<tag>.<ciphertext>`), so keys can rotate: the
 * first key encrypts, every listed key decrypts.
 */
export class PiiCipher {
  private readonly keys: Map<string, Buffer>;
  private readonly current: { id: string; key: Buffer };
  private readonly lookupKey: Buffer;

  constructor(keys: Buffer[]) {
    if (keys.length === 0 || keys.some((k) => k.length !== 32))
      throw new Error('PiiCipher needs 32-byte keys');
    this.keys = new Map(keys.map((k) => [keyId(k), k]));
    this.current = { id: keyId(keys[0]!), key: keys[0]! };
    // Look-up hashes must stay comparable across rotations of the encryption key, so they use a
    // key derived from the oldest listed key; rotate it by re-hashing (see README).
    this.lookupKey = Buffer.from(hkdfSync('sha256', keys.at(-1)!, Buffer.alloc(0), 'recur lookup hash', 32));
  }

  encrypt(plaintext: string): string {
    const iv = pooledRandomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      this.current.id,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  decrypt(sealed: string): string {
    const [version, id, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !id || !iv || !tag || body === undefined)
      throw new Error('Not a sealed value');
    const key = this.keys.get(id);
    if (!key) throw new Error(`Sealed with unknown key ${id}; add it to RECUR_ENCRYPTION_KEY to read it`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }

  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }

  decryptJson<T>(sealed: string): T {
    return JSON.parse(this.decrypt(sealed)) as T;
  }

  /** The id of the key that seals new values (the first listed), as sealed values name it. */
  get currentKeyId(): string {
    return this.current.id;
  }

  /** Whether `sealed` was sealed with the current key (only those survive retiring the others). */
  sealedWithCurrentKey(sealed: string): boolean {
    return sealed.startsWith(`${VERSION}.${this.current.id}.`);
  }

  /**
   * The cipher that remains once every key but the current one is retired: what `recur reseal`
   * computes look-up hashes with, since they are keyed by the oldest key still listed.
   */
  currentKeyOnly(): PiiCipher {
    return new PiiCipher([this.current.key]);
  }

  /** A keyed hash of a normalised email: equal emails match, and the table reveals none. */
  emailHash(email: string): string {
    return createHmac('sha256', this.lookupKey).update(email.trim().toLowerCase()).digest('base64url');
  }

  /**
   * A keyed hash of one normalised prefix of a name (see shared/name-index.ts), cut to 16 bytes: the
   * same key as the email hashes, told apart by its own prefix so no name hash equals an email's.
   */
  namePrefixHash(prefix: string): string {
    return createHmac('sha256', this.lookupKey)
      .update(`name-prefix:${prefix}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  }
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}
