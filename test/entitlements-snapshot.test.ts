import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastSequence, userSubject } from '../src/app-webhooks/outbox.js';
import type { Database } from '../src/db/client.js';
import {
  appWebhookSequences,
  creditLots,
  customers,
  disputes,
  invoices,
  organizationMembers,
  organizations,
  plans,
  purchases,
  subscriptions,
} from '../src/db/schema/index.js';
import { entitlementRepository } from '../src/entitlements/repository.js';
import { EntitlementService } from '../src/entitlements/service.js';
import { readEntitlementSnapshot } from '../src/entitlements/snapshot.js';
import { openTestDatabase, truncateAll } from './support/db.js';
import { creditLot, customerRow, freezingDispute, subscriptionRow } from './support/mirror-rows.js';

/**
 * A user's entitlements read the sequence, their subscriptions and purchases, and their credits in
 * one statement. It must read exactly what the repositories' own statements read: the same
 * candidates in the same order (the cancelled, the deleted customer's and the dispute-frozen left
 * out; the organisation's included), the same live credits, the same sequence.
 */
let database: Database;
const NOW = new Date('2026-06-15T12:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

beforeAll(async () => {
  database = await openTestDatabase();
  await truncateAll(database);
  const { db } = database;
  const plan = (id: string, kind: 'base' | 'add_on' | 'one_time', createdAt: Date, value: number) => ({
    id,
    key: id,
    name: id,
    kind,
    stripeProductId: `prod_${id}`,
    createdAt,
    benefits: [
      { key: 'seats', value },
      { key: 'tier', value: id },
      { key: 'api_calls', value: 1000, limit: { reset: 'month' as const, overage: 'credits' as const } },
    ],
  });
  // Catalog order: team, then pro, then boost and the lifetime deal; the rows below are inserted
  // in another order so that only the statement's `order by` can put them right.
  await db
    .insert(plans)
    .values([
      plan('pro', 'base', at(-40), 5),
      plan('team', 'base', at(-50), 20),
      plan('boost', 'add_on', at(-30), 2),
      plan('lifetime', 'one_time', at(-20), 1),
    ]);
  await db.insert(organizations).values([
    { id: 'org_a', nameEncrypted: 'x' },
    { id: 'org_b', nameEncrypted: 'y' },
  ]);
  await db.insert(organizationMembers).values([
    { organizationId: 'org_a', userId: 'ann', role: 'member' },
    { organizationId: 'org_b', userId: 'bob', role: 'owner' },
  ]);
  await db
    .insert(customers)
    .values([
      customerRow('cus_ann', { externalId: 'ann' }, NOW),
      customerRow('cus_ann_old', { externalId: 'ann', deleted: true }, NOW),
      customerRow('cus_org_a', { organizationId: 'org_a' }, NOW),
      customerRow('cus_org_b', { organizationId: 'org_b' }, NOW),
    ]);
  const sub = (id: string, customerId: string, planId: string, status: string, createdAt: Date) =>
    subscriptionRow(
      {
        id,
        customerId,
        planId,
        status,
        quantity: planId === 'boost' ? 3 : 1,
        cancelAt: id === 'sub_ann_boost' ? at(25) : null,
        cancelAtPeriodEnd: id === 'sub_org_a',
        latestInvoiceId: id === 'sub_ann_pro' ? 'in_action' : null,
        createdAt,
      },
      NOW,
    );
  await db
    .insert(subscriptions)
    .values([
      sub('sub_ann_boost', 'cus_ann', 'boost', 'active', at(-3)),
      sub('sub_ann_pro', 'cus_ann', 'pro', 'past_due', at(-4)),
      sub('sub_ann_old', 'cus_ann', 'pro', 'canceled', at(-90)),
      sub('sub_ann_frozen', 'cus_ann', 'boost', 'active', at(-2)),
      sub('sub_ann_deleted', 'cus_ann_old', 'team', 'active', at(-60)),
      sub('sub_org_a', 'cus_org_a', 'team', 'trialing', at(-4)),
      sub('sub_org_b', 'cus_org_b', 'team', 'active', at(-4)),
    ]);
  await db.insert(invoices).values({
    id: 'in_action',
    customerId: 'cus_ann',
    subscriptionId: 'sub_ann_pro',
    status: 'open',
    currency: 'usd',
    subtotal: 2900,
    total: 2900,
    amountDue: 2900,
    amountPaid: 0,
    amountRemaining: 2900,
    paymentActionRequired: true,
    stripeEventAt: NOW,
    createdAt: NOW,
  });
  await db.insert(disputes).values(freezingDispute('dp_1', 'sub_ann_frozen', NOW));
  const purchase = (
    id: string,
    payerKind: 'user' | 'organization',
    payerId: string,
    customerId: string,
    status: 'paid' | 'refunded',
  ) => ({
    id,
    payerKind,
    payerId,
    customerId,
    planId: 'lifetime',
    checkoutSessionId: `cs_${id}`,
    amount: 9900,
    currency: 'usd',
    status,
  });
  await db
    .insert(purchases)
    .values([
      purchase('pur_ann', 'user', 'ann', 'cus_ann', 'paid'),
      purchase('pur_ann_refunded', 'user', 'ann', 'cus_ann', 'refunded'),
      purchase('pur_org_a', 'organization', 'org_a', 'cus_org_a', 'paid'),
      purchase('pur_org_b', 'organization', 'org_b', 'cus_org_b', 'paid'),
    ]);
  const lot = (
    id: string,
    payerKind: 'user' | 'organization',
    payerId: string,
    remaining: number,
    expiresAt: Date | null,
  ) => creditLot(id, { payerKind, payerId }, 'api_calls', remaining, expiresAt);
  await db
    .insert(creditLots)
    .values([
      lot('l1', 'user', 'ann', 30, null),
      lot('l2', 'user', 'ann', 12, at(3)),
      lot('l3', 'user', 'ann', 500, at(-1)),
      lot('l4', 'organization', 'org_a', 7, null),
      lot('l5', 'organization', 'org_b', 900, null),
      lot('l6', 'user', 'bob', 60, null),
    ]);
  await db.insert(appWebhookSequences).values({ subject: userSubject('ann'), sequence: 41 });
});
afterAll(() => database.close());

describe('the entitlement snapshot', () => {
  it.each(['ann', 'bob', 'nobody'])('reads what the repositories read, for %s', async (user) => {
    const { db } = database;
    const snapshot = await readEntitlementSnapshot(db, user, NOW);
    expect(snapshot.sequence).toBe(await lastSequence(db, userSubject(user)));
    expect(snapshot.candidates).toEqual(await entitlementRepository.candidates(db, user));
  });

  it('reads the candidates in catalog order, without the cancelled, deleted or frozen', async () => {
    const snapshot = await readEntitlementSnapshot(database.db, 'ann', NOW);
    expect(snapshot.sequence).toBe(41);
    expect(snapshot.candidates.map((c) => c.id)).toEqual([
      'sub_org_a',
      'sub_ann_pro',
      'sub_ann_boost',
      'pur_ann',
      'pur_org_a',
    ]);
    expect(snapshot.candidates[1]).toMatchObject({ status: 'past_due', paymentActionRequired: true });
    expect(snapshot.candidates[2]).toMatchObject({ kind: 'add_on', quantity: 3, cancelAt: at(25) });
    // The user's live credits (the expired lot left out) and their organisation's, nobody else's.
    expect(snapshot.credits).toEqual(
      new Map([
        ['user:ann', new Map([['api_calls', 42]])],
        ['organization:org_a', new Map([['api_calls', 7]])],
      ]),
    );
  });

  it('is what the entitlements answer: subscriptions, purchases, sequence and credits', async () => {
    // A week's grace: the past-due subscription (its period began five days ago) still grants.
    const service = new EntitlementService({ db: database.db, graceDays: 7 });
    const answer = await service.forUser('ann', undefined, NOW);
    expect(answer.sequence).toBe(41);
    expect(answer.subscriptions.map((s) => s.id)).toEqual(['sub_org_a', 'sub_ann_pro', 'sub_ann_boost']);
    expect(answer.purchases.map((p) => p.id)).toEqual(['pur_ann', 'pur_org_a']);
    // Pro's 1,000 and three boosts' 1,000 each; the user's own credits.
    expect(answer.usage.api_calls).toMatchObject({ limit: 4000, credits: 42, balance: 4042 });
  });
});
