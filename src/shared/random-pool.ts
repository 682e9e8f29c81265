import { randomBytes } from 'node:crypto';

const POOL_SIZE = 16 * 1024;
const LARGEST_POOLED = 64;

let pool = randomBytes(POOL_SIZE);
let offset = 0;

/**
 * Bytes from the system's CSPRNG, drawn a pool at a time: ids, request ids and AES-GCM nonces are
 * asked for thousands of times a second on the webhook path, and one `randomBytes` call per need
 * cost more than the signature check. Each byte is handed out once: a spent pool is replaced by a
 * new buffer, never refilled in place, so earlier slices stay as they were. Secrets (API keys,
 * signing keys) do not come from here.
 */
export function pooledRandomBytes(size: number): Buffer {
  if (size > LARGEST_POOLED) return randomBytes(size);
  if (offset + size > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + size);
  offset += size;
  return bytes;
}
