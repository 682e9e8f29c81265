import { randomBytes } from 'node:crypto';
import { pooledRandomBytes } from './random-pool.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) out += ALPHABET[b % 62];
  return out;
}

/**
 * `prefix_` + 9 characters of millisecond time + 14 random ones: ids sort by creation, which
 * keeps cursor pagination stable, and say what they name (`plan_…`, `price_…`).
 */
export function newId(prefix: string): string {
  const time = Date.now().toString(36).padStart(9, '0');
  return `${prefix}_${time}${base62(pooledRandomBytes(14))}`;
}

/** A random secret token of `length` base62 characters (about 5.95 bits each). */
export function randomToken(length: number): string {
  // Rejection sampling would remove the slight modulo bias; at 190+ bits it does not matter.
  return base62(randomBytes(length));
}
