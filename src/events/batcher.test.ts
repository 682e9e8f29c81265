import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

/** A batcher whose calls stay open until the test releases them, recording what each call got. */
function gated(maxConcurrent: number, maxBatch = 100) {
  const calls: Array<{ items: number[]; release: (error?: Error) => void }> = [];
  const batcher = new Batcher<number, string>(
    (items) =>
      new Promise((resolve, reject) => {
        calls.push({
          items,
          release: (error) => (error ? reject(error) : resolve(items.map((i) => `done ${i}`))),
        });
      }),
    { maxBatch, maxConcurrent },
  );
  return { batcher, calls };
}

/** Lets the promise callbacks of a finished call run (the next call starts in one of them). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('Batcher (group commit)', () => {
  it('runs a lone item at once', async () => {
    const { batcher, calls } = gated(1);
    const result = batcher.submit(1);
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    calls[0]!.release();
    await expect(result).resolves.toBe('done 1');
  });

  it('gathers what arrives while a call is in flight into the next call, each answered with its own result', async () => {
    const { batcher, calls } = gated(1);
    const first = batcher.submit(1);
    const later = [2, 3, 4].map((i) => batcher.submit(i));
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    calls[0]!.release();
    await settled();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    await expect(first).resolves.toBe('done 1');
    calls[1]!.release();
    await expect(Promise.all(later)).resolves.toEqual(['done 2', 'done 3', 'done 4']);
  });

  it('keeps up to maxConcurrent calls in flight, and no call larger than maxBatch', async () => {
    const { batcher, calls } = gated(2, 2);
    const results = [1, 2, 3, 4, 5].map((i) => batcher.submit(i));
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
    calls[0]!.release();
    await settled();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4]]);
    calls[1]!.release();
    calls[2]!.release();
    await settled();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4], [5]]);
    calls[3]!.release();
    await expect(results[4]).resolves.toBe('done 5');
  });

  it('fails only the items of the call that failed', async () => {
    const { batcher, calls } = gated(1);
    const first = batcher.submit(1);
    const second = [2, 3].map((i) => batcher.submit(i));
    calls[0]!.release(new Error('database away'));
    await expect(first).rejects.toThrow('database away');
    calls[1]!.release();
    await expect(Promise.all(second)).resolves.toEqual(['done 2', 'done 3']);
  });
});
