import { describe, expect, it } from 'vitest';
import { readAhead } from './read-ahead.js';

/** A source that records when each item was started, and can be made to fail at one of them. */
function source(count: number, options: { failAt?: number } = {}) {
  const started: number[] = [];
  async function* items() {
    for (let i = 0; i < count; i++) {
      started.push(i);
      await new Promise((r) => setTimeout(r, 1));
      if (i === options.failAt) throw new Error(`item ${i} failed`);
      yield i;
    }
  }
  return { started, iterator: items() };
}

describe('readAhead', () => {
  it('yields every item in order', async () => {
    const { iterator } = source(10);
    const seen: number[] = [];
    for await (const item of readAhead(iterator, 3)) seen.push(item);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('produces up to `depth` items while the consumer is busy with one, and no more', async () => {
    const { iterator, started } = source(10);
    const ahead = readAhead(iterator, 3);
    expect((await ahead.next()).value).toBe(0);
    // The consumer is now "writing" item 0 for a while.
    await new Promise((r) => setTimeout(r, 50));
    // Items 1-3 were read meanwhile (three ahead), item 4 only once the consumer asks again.
    expect(started).toEqual([0, 1, 2, 3]);
    expect((await ahead.next()).value).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('delivers a failure in its place, after the items before it', async () => {
    const { iterator } = source(10, { failAt: 4 });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(iterator, 3)) {
          seen.push(item);
          await new Promise((r) => setTimeout(r, 10));
        }
      })(),
    ).rejects.toThrow('item 4 failed');
    expect(seen).toEqual([0, 1, 2, 3]);
  });
});
