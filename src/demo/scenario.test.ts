import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { refusal } from './command.js';
import { buildScenario, MIN_CUSTOMERS, monthStarts } from './scenario.js';

const NOW = Date.UTC(2026, 5, 15, 12) / 1000;
const catalog = { tiers: 3, yearly: 3, otherCurrency: 1 };

describe('demo scenario', () => {
  it('is the same for the same seed, and another for another seed', () => {
    const input = { customers: 40, months: 12, seed: 3, now: NOW, catalog };
    expect(buildScenario(input)).toEqual(buildScenario(input));
    expect(buildScenario({ ...input, seed: 4 })).not.toEqual(buildScenario(input));
  });

  it('plays every promised story, signs everyone up inside the history, and grows', () => {
    const stories = buildScenario({ customers: 60, months: 12, seed: 1, now: NOW, catalog });
    const starts = monthStarts(NOW, 12);
    expect(new Date(starts[0]! * 1000).toISOString()).toBe('2025-07-01T00:00:00.000Z');
    const kinds = new Set(stories.map((s) => s.story));
    for (const kind of ['upgrade', 'downgrade', 'churn', 'recovered', 'involuntary', 'reactivated'] as const)
      expect(kinds).toContain(kind);
    for (const s of stories) {
      expect(s.signupAt).toBeGreaterThanOrEqual(starts[0]!);
      expect(s.signupAt).toBeLessThan(NOW);
    }
    // The promised stories all start in the first month; after it, later months sign up more.
    const between = (from: number, to: number) =>
      stories.filter((s) => s.signupAt >= starts[from]! && s.signupAt < (starts[to] ?? NOW)).length;
    expect(between(6, 12)).toBeGreaterThan(between(1, 6));
  });

  it('changes plans only where the catalog has a tier to go to', () => {
    const stories = buildScenario({
      customers: MIN_CUSTOMERS,
      months: 3,
      seed: 9,
      now: NOW,
      catalog: { tiers: 1, yearly: 0, otherCurrency: 0 },
    });
    expect(stories.map((s) => s.story)).not.toContain('upgrade');
    expect(stories.every((s) => s.price.kind === 'monthly' && s.price.tier === 0)).toBe(true);
  });
});

describe('recur demo refuses', () => {
  it('a live key, and api.stripe.com in test mode, but runs on an emulator', () => {
    const live = loadConfig({ STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' });
    expect(refusal(live)).toMatch(/refuses a live Stripe key/);
    expect(refusal(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc' }))).toMatch(/api\.stripe\.com/);
    const remote = loadConfig({
      STRIPE_SECRET_KEY: 'sk_test_abc',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
    });
    expect(refusal(remote)).toBeNull();
    expect(refusal(loadConfig({}))).toBeNull();
  });
});
