import { afterEach, describe, expect, it, vi } from 'vitest';
import { Batcher } from './batcher.js';

/** A batcher whose calls stay open until the test releases them, recording what each call got. */
function gated(maxConcurrent: number, maxBatch = 100, lingerMs = 0) {
  const calls: Array<{ items: number[]; release: (error?: Error) => void }> = [];
  const batcher = new Batcher<number, string>(
    (items) =>
      new Promise((resolve, reject) => {
        calls.push({
          items,
          release: (error) => (error ? reject(error) : resolve(items.map((i) => `done ${i}`))),
        });
      }),
    { maxBatch, maxConcurrent, lingerMs },
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

  describe('with a window', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('lets a lone item wait for it, and sends what arrived meanwhile in the same call', async () => {
      vi.useFakeTimers();
      const { batcher, calls } = gated(1, 100, 5);
      const results = [1, 2].map((i) => batcher.submit(i));
      vi.advanceTimersByTime(4);
      expect(calls).toHaveLength(0);
      const third = batcher.submit(3);
      vi.advanceTimersByTime(1);
      expect(calls.map((c) => c.items)).toEqual([[1, 2, 3]]);
      calls[0]!.release();
      await expect(Promise.all([...results, third])).resolves.toEqual(['done 1', 'done 2', 'done 3']);
    });

    it('starts a full batch at once, without waiting for the window', () => {
      vi.useFakeTimers();
      const { batcher, calls } = gated(1, 3, 1000);
      for (const i of [1, 2, 3, 4]) void batcher.submit(i);
      expect(calls.map((c) => c.items)).toEqual([[1, 2, 3]]);
    });

    it('sends what waited for a call in flight as soon as that call ends, with no window of its own', async () => {
      vi.useFakeTimers();
      const { batcher, calls } = gated(1, 100, 5);
      void batcher.submit(1);
      vi.advanceTimersByTime(5);
      const second = batcher.submit(2);
      calls[0]!.release();
      await vi.advanceTimersByTimeAsync(0);
      expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
      calls[1]!.release();
      await expect(second).resolves.toBe('done 2');
    });
  });
});
