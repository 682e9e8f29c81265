/**
 * Stripe-looking identifiers. Stripe's ids come in two lengths: older resources use 14 characters
 * after the prefix (`prod_QXg1hqf4jFNsqG`, `cus_…`), newer ones 24 (`price_1PgafmB7WZ01zgkW6dKueIc5`).
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

function randomChars(length: number, alphabet = ALPHABET): string {
  let out = '';
  while (out.length < length) {
    if (poolOffset >= POOL_SIZE) {
      pool = randomBytes(POOL_SIZE);
      poolOffset = 0;
    }
    const byte = pool[poolOffset++]!;
    // 248 = 4 * 62: dropping the top bytes keeps every character equally likely.
    if (byte < 248) out += alphabet[byte % alphabet.length];
  }
  return out;
}

/** Lengths after the prefix, as Stripe issues them. */
const SHORT_ID_PREFIXES = new Set(['prod', 'cus', 'si', 'req', 'plink']);

export function newId(prefix: string): string {
  if (SHORT_ID_PREFIXES.has(prefix)) return `${prefix}_${randomChars(14)}`;
  return `${prefix}_1${randomChars(23)}`;
}

/** Coupon ids are bare 8-character uppercase codes (`Z4OV52SU`). */
export function newCouponId(): string {
  return randomChars(8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
}

/** Client secrets look like `seti_…_secret_…` / `pi_…_secret_…`. */
export function newClientSecret(objectId: string): string {
  return `${objectId}_secret_${randomChars(25)}`;
}

/** Random characters for anything else that must look opaque (fingerprints, invoice prefixes). */
export function randomToken(length: number, alphabet = ALPHABET): string {
  return randomChars(length, alphabet);
}
