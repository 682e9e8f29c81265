import { describe, expect, it } from 'vitest';
import { accessOf, mergeBenefits, mergePayers, payerBenefits, type SubscriptionAccess } from './rules.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);

function sub(changes: Partial<SubscriptionAccess>): SubscriptionAccess {
  return {
    id: 'sub_1',
    planId: 'plan_1',
    status: 'active',
    provider: 'stripe',
    cancelAtPeriodEnd: false,
    cancelAt: null,
    currentPeriodStart: days(-10),
    currentPeriodEnd: days(20),
    benefits: [],
    ...changes,
  };
}

describe('accessOf', () => {
  it('gives renewing active and trialing subscriptions open-ended access', () => {
    expect(accessOf(sub({ status: 'active' }), NOW, 7)).toEqual({ granted: true, until: null });
    expect(accessOf(sub({ status: 'trialing' }), NOW, 7)).toEqual({ granted: true, until: null });
  });

  it('keeps a subscription cancelled at period end until that end, and not a moment after', () => {
    const ending = sub({ cancelAtPeriodEnd: true });
    expect(accessOf(ending, NOW, 7)).toEqual({ granted: true, until: days(20) });
    expect(accessOf(ending, days(20), 7).granted).toBe(false);
    expect(accessOf(sub({ cancelAt: days(3) }), NOW, 7)).toEqual({ granted: true, until: days(3) });
  });

  it('gives past_due access for the grace days counted from the start of the unpaid period', () => {
    expect(accessOf(sub({ status: 'past_due', currentPeriodStart: days(-6) }), NOW, 7)).toEqual({
      granted: true,
      until: days(1),
    });
    expect(accessOf(sub({ status: 'past_due', currentPeriodStart: days(-7) }), NOW, 7).granted).toBe(false);
    expect(accessOf(sub({ status: 'past_due', currentPeriodStart: days(-1) }), NOW, 0).granted).toBe(false);
    expect(
      accessOf(sub({ status: 'past_due', currentPeriodStart: days(-1), cancelAt: days(2) }), NOW, 7).until,
    ).toEqual(days(2));
  });

  it('gives nothing to the other statuses', () => {
    for (const status of ['canceled', 'incomplete', 'incomplete_expired', 'unpaid', 'paused', 'mystery']) {
      expect(accessOf(sub({ status }), NOW, 7), status).toEqual({ granted: false, until: null });
    }
  });
});

describe('mergeBenefits', () => {
  it('ORs flags, takes the largest number, and keeps the first text', () => {
    expect(
      mergeBenefits([
        [
          { key: 'sso', value: false },
          { key: 'seats', value: 5 },
          { key: 'support', value: 'email' },
        ],
        [
          { key: 'sso', value: true },
          { key: 'seats', value: 3 },
          { key: 'support', value: 'phone' },
          { key: 'api', value: true },
        ],
      ]),
    ).toEqual({ sso: true, seats: 5, support: 'email', api: true });
    expect(mergeBenefits([])).toEqual({});
  });
});

describe('payerBenefits and mergePayers', () => {
  const base = sub({
    id: 'base',
    benefits: [
      { key: 'seats', value: 5 },
      { key: 'support', value: 'email' },
    ],
  });
  const pack = sub({
    id: 'pack',
    kind: 'add_on',
    quantity: 3,
    benefits: [
      { key: 'seats', value: 2 },
      { key: 'support', value: 'phone' },
      { key: 'sso', value: true },
    ],
  });

  it('adds an add-on’s numbers times its quantity to its payer’s base, and keeps the base’s text', () => {
    expect(payerBenefits([base, pack])).toEqual({ seats: 11, support: 'email', sso: true });
    expect(payerBenefits([pack])).toEqual({ seats: 6, support: 'phone', sso: true });
  });

  it('takes the largest number across payers, and names the payer each value comes from', () => {
    const own = sub({
      id: 'own',
      benefits: [
        { key: 'seats', value: 8 },
        { key: 'api', value: true },
      ],
    });
    const acme = [base, pack].map((s) => ({ ...s, organizationId: 'org_acme' }));
    expect(mergePayers([...acme, own])).toEqual({
      benefits: { seats: 11, support: 'email', sso: true, api: true },
      sources: { seats: 'org_acme', support: 'org_acme', sso: 'org_acme', api: null },
    });
  });
});
