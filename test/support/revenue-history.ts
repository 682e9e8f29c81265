import type { Stripe } from '../../src/stripe/index.js';
import { at, invoice, type PriceSpec, refund, subscription } from './report-history.js';

/**
 * A generated billing history for the revenue rollup's tests: invoices, refunds and subscriptions,
 * each as the snapshots Stripe would send over its life, then delivered shuffled and repeated.
 */

export const PRICES: Record<string, PriceSpec> = {
  basic: { id: 'price_roll_basic', amount: 2000, interval: 'month' },
  pro: { id: 'price_roll_pro', amount: 5000, interval: 'month' },
  euro: { id: 'price_roll_euro', amount: 3000, currency: 'eur', interval: 'month' },
  none: { id: 'price_roll_offcatalog', amount: 700, interval: 'month' },
};

/** A small deterministic generator, so a failing seed can be run again. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

export type Change =
  | { kind: 'invoice'; id: string; object: Stripe.Invoice; stamp: number }
  | { kind: 'refund'; id: string; object: Stripe.Refund; stamp: number }
  | { kind: 'subscription'; id: string; object: Stripe.Subscription; stamp: number };

export const HOUR = 3600;
export const DAY = 24 * HOUR;

/**
 * Subscriptions that change plan (after their invoices exist), one off the catalog, one the mirror
 * never learns of; invoices through every ending (paid first time, recovered, uncollectible, void,
 * free, never finalised, paid the next month); refunds that succeed, fail or stay pending.
 */
export function history(rng: ReturnType<typeof random>): Change[] {
  const changes: Change[] = [];
  const start = at('2025-01-03T09:00:00');
  const subs = [
    { id: 'sub_roll_1', prices: [PRICES.basic!, PRICES.pro!], ends: true },
    { id: 'sub_roll_2', prices: [PRICES.pro!, PRICES.basic!, PRICES.pro!], ends: false },
    { id: 'sub_roll_3', prices: [PRICES.euro!], ends: false },
    { id: 'sub_roll_4', prices: [PRICES.none!, PRICES.basic!], ends: false },
    { id: 'sub_roll_5', prices: [PRICES.basic!], ends: true },
  ];
  for (const s of subs) {
    const created = start + rng.int(20) * DAY;
    let stamp = created;
    const base = { id: s.id, customer: `cus_${s.id}`, created };
    s.prices.forEach((price, i) => {
      stamp = created + (i * 40 + rng.int(30)) * DAY;
      const object = subscription({ ...base, status: 'active', price });
      changes.push({
        kind: 'subscription',
        id: s.id,
        object: object as unknown as Stripe.Subscription,
        stamp,
      });
    });
    if (s.ends) {
      const price = s.prices.at(-1)!;
      const object = subscription({ ...base, status: 'canceled', price, canceledAt: stamp + DAY });
      changes.push({
        kind: 'subscription',
        id: s.id,
        object: object as unknown as Stripe.Subscription,
        stamp: stamp + DAY,
      });
    }
  }
  const owners = [...subs.map((s) => s.id), 'sub_roll_unknown', null];
  const endings = ['paid', 'recovered', 'uncollectible', 'void', 'free', 'draft', 'late'] as const;
  for (let n = 1; n <= 18; n++) {
    const owner = rng.pick(owners);
    const currency = owner === 'sub_roll_3' ? 'eur' : 'usd';
    const created = start + rng.int(110) * DAY + rng.int(DAY);
    const ending = rng.pick([...endings]);
    const total = ending === 'free' ? 0 : 500 + rng.int(9000);
    const id = `in_roll_${n}`;
    // Every other invoice carries Stripe Tax's tax (inclusive, 19 %), so the tax sums are exercised.
    const tax = n % 2 === 0 ? Math.round((total * 19) / 119) : 0;
    let stamp = created;
    const snap = (status: string, attempts: number, paidAt?: number) => {
      stamp += HOUR + rng.int(3 * DAY);
      const object = {
        ...invoice({
          id,
          customer: `cus_${owner ?? 'none'}`,
          subscription: owner ?? '',
          status: status as 'paid',
          total,
          created,
          attempts,
          tax,
          ...(paidAt === undefined ? {} : { paidAt }),
        }),
        currency,
        ...(owner === null ? { parent: null } : {}),
      };
      changes.push({ kind: 'invoice', id, object: object as unknown as Stripe.Invoice, stamp });
    };
    snap('draft', 0);
    if (ending === 'draft') continue;
    if (ending === 'free') {
      snap('paid', 0, stamp);
      continue;
    }
    snap('open', 1);
    if (ending === 'paid') snap('paid', 1, stamp);
    if (ending === 'late') snap('paid', 1, created + 35 * DAY);
    if (ending === 'void') snap('void', 1);
    if (ending === 'recovered' || ending === 'uncollectible') {
      snap('open', 2);
      if (ending === 'recovered') snap('paid', 3, stamp + 5 * HOUR);
      else snap('uncollectible', 3);
    }
  }
  for (let n = 1; n <= 6; n++) {
    const id = `re_roll_${n}`;
    const created = start + rng.int(110) * DAY;
    const amount = 100 + rng.int(2000);
    const statuses = rng.pick([['pending', 'succeeded'], ['pending', 'failed'], ['succeeded'], ['pending']]);
    statuses.forEach((status, i) => {
      const object = { ...refund({ id, amount, status, created }), currency: n % 3 === 0 ? 'eur' : 'usd' };
      changes.push({
        kind: 'refund',
        id,
        object: object as unknown as Stripe.Refund,
        stamp: created + i * DAY,
      });
    });
  }
  return changes;
}

/** Shuffled, with a third of the changes delivered again at random places (many of them stale by then). */
export function deliveries(rng: ReturnType<typeof random>, changes: Change[]): Change[] {
  const out = [...changes, ...changes.filter(() => rng.next() < 0.35)];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Deliveries in order, a few taken together as a sync page when they are of one kind and distinct. */
export function pages(rng: ReturnType<typeof random>, delivered: Change[]): Change[][] {
  const out: Change[][] = [];
  for (let i = 0; i < delivered.length; ) {
    const page = [delivered[i]!];
    i++;
    if (page[0]!.kind !== 'subscription' && rng.next() < 0.3) {
      while (
        i < delivered.length &&
        page.length < 4 &&
        delivered[i]!.kind === page[0]!.kind &&
        !page.some((c) => c.id === delivered[i]!.id)
      ) {
        page.push(delivered[i]!);
        i++;
      }
    }
    out.push(page);
  }
  return out;
}
