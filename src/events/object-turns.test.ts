import { describe, expect, it } from 'vitest';
import { ObjectTurns, type Turn } from './object-turns.js';

/** Whether `turn` is ready now: its promise has settled by the time queued callbacks have run. */
async function isReady(turn: Turn): Promise<boolean> {
  let ready = false;
  void turn.ready.then(() => {
    ready = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return ready;
}

describe('turns at objects', () => {
  it('are ready at once on free objects, which then are no longer free', async () => {
    const turns = new ObjectTurns();
    const first = turns.join(['cus_a', 'sub_a']);
    expect(await isReady(first)).toBe(true);
    expect(turns.isFree('cus_a')).toBe(false);
    expect(turns.isFree('sub_a')).toBe(false);
    expect(turns.isFree('cus_b')).toBe(true);
    first.leave();
    expect(turns.isFree('cus_a')).toBe(true);
    expect(turns.size).toBe(0);
  });

  it('wait for every turn ahead of them on any of their objects, in the order they joined', async () => {
    const turns = new ObjectTurns();
    const holdsA = turns.join(['cus_a']);
    const needsAB = turns.join(['cus_a', 'cus_b']);
    // cus_b is free, but a turn that joined earlier waits for it: this one comes after that.
    const needsB = turns.join(['cus_b']);
    const needsC = turns.join(['cus_c']);
    expect(await isReady(needsAB)).toBe(false);
    expect(await isReady(needsB)).toBe(false);
    expect(await isReady(needsC)).toBe(true);

    holdsA.leave();
    expect(await isReady(needsAB)).toBe(true);
    expect(await isReady(needsB)).toBe(false);
    needsAB.leave();
    expect(await isReady(needsB)).toBe(true);
    needsB.leave();
    needsC.leave();
    expect(turns.size).toBe(0);
  });

  it('let the next one in when a waiting turn leaves, and leaving twice changes nothing', async () => {
    const turns = new ObjectTurns();
    const holds = turns.join(['cus_a']);
    const gaveUp = turns.join(['cus_a']);
    const next = turns.join(['cus_a']);
    gaveUp.leave();
    gaveUp.leave();
    expect(await isReady(next)).toBe(false);
    holds.leave();
    holds.leave();
    expect(await isReady(next)).toBe(true);
    // The one that left while waiting never became ready.
    expect(await isReady(gaveUp)).toBe(false);
    next.leave();
    expect(turns.size).toBe(0);
  });

  it('name an object once however often it is listed', async () => {
    const turns = new ObjectTurns();
    const twice = turns.join(['cus_a', 'cus_a']);
    expect(await isReady(twice)).toBe(true);
    twice.leave();
    expect(turns.isFree('cus_a')).toBe(true);
  });
});
