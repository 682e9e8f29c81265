import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from './random-pool.js';

describe('pooledRandomBytes', () => {
  it('hands out the size asked for, never the same bytes twice, across pool refills', () => {
    const seen = new Set<string>();
    const taken: Buffer[] = [];
    // 5,000 × 14 bytes spans more than four pools.
    for (let i = 0; i < 5_000; i++) {
      const bytes = pooledRandomBytes(14);
      expect(bytes.length).toBe(14);
      seen.add(bytes.toString('hex'));
      taken.push(bytes);
    }
    expect(seen.size).toBe(5_000);
    // A refill makes a new pool: bytes handed out earlier are not overwritten.
    expect(new Set(taken.map((b) => b.toString('hex'))).size).toBe(5_000);
  });

  it('serves large requests straight from the CSPRNG', () => {
    expect(pooledRandomBytes(256).length).toBe(256);
  });
});
