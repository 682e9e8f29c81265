import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import type { Stripe } from '../src/stripe/index.js';
import { bearer } from './support/app.js';
import { endpointForAll, storedMessages } from './support/app-webhook-messages.js';
import { get, type Subscriber, subscriber, subscriptionHarness } from './support/subscriptions.js';
import { settled } from './support/wait.js';

/**
 * Disputes opened on the emulator by Stripe's test cards, on a real subscription's first charge,
 * and what the deployment's policy makes of them: access frozen until won, a subscription
 * cancelled, a charge refunded over an early fraud warning, each once.
 */
const h = subscriptionHarness();

const admin = () => bearer(h.t.adminKey);

async function setPolicies(body: Record<string, string>) {
  const res = await h.t.app.inject({
    method: 'PUT',
    url: '/api/admin/settings',
    headers: admin(),
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(200);
}

async function seats(user: Subscriber): Promise<unknown> {
  const res = await get(h, '/api/me/entitlements', user.token);
  expect(res.statusCode).toBe(200);
  return res.json().benefits.seats;
}

async function disputeOf(user: Subscriber): Promise<Stripe.Dispute> {
  const [charge] = (await h.stripe.charges.list({ customer: user.customer.id })).data;
  const [dispute] = (await h.stripe.disputes.list({ charge: charge!.id })).data;
  expect(dispute, 'the test card opens a dispute').toBeDefined();
  return dispute!;
}

async function actions(sourceId: string) {
  return queryRows<{ action: string; subscription_id: string | null; result_id: string | null }>(
    h.t.database.db,
    sql`select action, subscription_id, result_id from dispute_actions where source_id = ${sourceId} order by action`,
  );
}

/** What the audit trail holds about an object, oldest first. */
async function audited(objectId: string) {
  return queryRows<{ action: string; actor_type: string; cause: string | null }>(
    h.t.database.db,
    sql`select action, actor_type, cause from audit_log where object_id = ${objectId} order by seq`,
  );
}

describe('disputes', () => {
  it('freeze (the default): a dispute suspends the subscription’s entitlements and its win restores them', async () => {
    await endpointForAll(h.t);
    const user = await subscriber(h, 'user_disputed', h.catalog.basic.monthly, {
      card: 'pm_card_createDispute',
    });
    const dispute = await disputeOf(user);

    // Mirrored with the subscription and customer it concerns, and access frozen.
    const listed = await h.t.app.inject({ method: 'GET', url: '/api/admin/disputes', headers: admin() });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().data).toEqual([
      expect.objectContaining({
        id: dispute.id,
        amount: 2000,
        currency: 'usd',
        reason: 'fraudulent',
        status: 'needs_response',
        subscription_id: user.subscription.id,
        customer_id: user.customer.id,
        user_id: 'user_disputed',
        access_frozen: true,
        evidence_due_by: new Date(dispute.evidence_details.due_by! * 1000).toISOString(),
      }),
    ]);
    expect(await seats(user)).toBeUndefined();

    await h.stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: 'winning_evidence' } });
    await settled(h.t);
    expect(await seats(user)).toBe(1);
    const one = await h.t.app.inject({
      method: 'GET',
      url: `/api/admin/disputes/${dispute.id}`,
      headers: admin(),
    });
    expect(one.json()).toMatchObject({ status: 'won', access_frozen: false });
    expect(one.json().actions.map((a: { action: string }) => a.action)).toEqual([
      'access_suspended',
      'access_restored',
    ]);
    expect((await h.stripe.subscriptions.retrieve(user.subscription.id)).status).toBe('active');
    // Told to the host app: each action once, and the user's entitlements as they went and came back.
    const messages = await storedMessages(h.t);
    const told = messages.filter((m) => m.type.startsWith('dispute.'));
    expect(told.map((m) => [m.type, m.event.data])).toEqual([
      ['dispute.access_suspended', expect.objectContaining({ user_id: 'user_disputed' })],
      ['dispute.access_restored', expect.objectContaining({ user_id: 'user_disputed' })],
    ]);
    expect(told[1]!.event.data).toMatchObject({
      dispute: { id: dispute.id, subscription_id: user.subscription.id, status: 'won', amount: 2000 },
    });
    const changes = messages.filter((m) => m.type === 'entitlements.updated').map((m) => m.event.data);
    expect(changes.map((c) => 'changes' in c && c.changes)).toEqual([
      { added: ['seats'], removed: [], changed: [] },
      { added: [], removed: ['seats'], changed: [] },
      { added: ['seats'], removed: [], changed: [] },
    ]);
    const byEvent = expect.stringMatching(/^event:evt_/);
    expect(await audited(user.subscription.id)).toEqual([
      { action: 'subscription.access_suspend', actor_type: 'system', cause: byEvent },
      { action: 'subscription.access_restore', actor_type: 'system', cause: byEvent },
    ]);
  });

  it('freeze: a lost dispute keeps access suspended and cancels the subscription', async () => {
    const user = await subscriber(h, 'user_lost', h.catalog.basic.monthly, { card: 'pm_card_createDispute' });
    const dispute = await disputeOf(user);
    await h.stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: 'losing_evidence' } });
    await settled(h.t);
    expect(await seats(user)).toBeUndefined();
    expect((await h.stripe.subscriptions.retrieve(user.subscription.id)).status).toBe('canceled');
    expect((await actions(dispute.id)).map((a) => a.action)).toEqual([
      'access_suspended',
      'subscription_canceled',
    ]);
    expect((await audited(user.subscription.id)).map((a) => a.action)).toEqual([
      'subscription.access_suspend',
      'subscription.cancel',
    ]);
  });

  it('cancel: a dispute cancels the subscription through Stripe, once', async () => {
    await setPolicies({ dispute_policy: 'cancel' });
    const user = await subscriber(h, 'user_cancel', h.catalog.pro.monthly, { card: 'pm_card_createDispute' });
    const dispute = await disputeOf(user);
    expect((await h.stripe.subscriptions.retrieve(user.subscription.id)).status).toBe('canceled');
    const [row] = await queryRows<{ status: string }>(
      h.t.database.db,
      sql`select status from subscriptions where id = ${user.subscription.id}`,
    );
    expect(row?.status).toBe('canceled');
    expect(await seats(user)).toBeUndefined();
    // Won later: the cancellation stands and is not made again.
    await h.stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: 'winning_evidence' } });
    await settled(h.t);
    expect(await actions(dispute.id)).toEqual([
      { action: 'subscription_canceled', subscription_id: user.subscription.id, result_id: null },
    ]);
  });

  it('none: the dispute is mirrored and access is left alone', async () => {
    await setPolicies({ dispute_policy: 'none' });
    const user = await subscriber(h, 'user_none', h.catalog.basic.monthly, { card: 'pm_card_createDispute' });
    const dispute = await disputeOf(user);
    expect(await seats(user)).toBe(1);
    expect(await actions(dispute.id)).toEqual([]);
  });
});

describe('the disputes report', () => {
  it('counts the month’s disputes against its charges, won and lost, inquiries apart', async () => {
    await setPolicies({ dispute_policy: 'none' });
    await subscriber(h, 'user_paying', h.catalog.basic.monthly);
    const won = await disputeOf(
      await subscriber(h, 'user_won', h.catalog.pro.monthly, { card: 'pm_card_createDispute' }),
    );
    await disputeOf(
      await subscriber(h, 'user_asks', h.catalog.basic.monthly, { card: 'pm_card_createDisputeInquiry' }),
    );
    await h.stripe.disputes.update(won.id, { evidence: { uncategorized_text: 'winning_evidence' } });
    await settled(h.t);
    const month = new Date().toISOString().slice(0, 7);
    const res = await h.t.app.inject({
      method: 'GET',
      url: `/api/reports/disputes?from=${month}&to=${month}`,
      headers: admin(),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ warning_rate: 0.009 });
    expect(res.json().months).toEqual([
      {
        month,
        currency: 'usd',
        charges: 3,
        disputes: 1,
        dispute_rate: 0.3333,
        over_warning_rate: true,
        inquiries: 1,
        disputed_amount: 5000,
        won: 1,
        won_amount: 5000,
        lost: 0,
        lost_amount: 0,
      },
    ]);
    const csv = await h.t.app.inject({
      method: 'GET',
      url: `/api/reports/disputes?from=${month}&to=${month}&format=csv`,
      headers: admin(),
    });
    expect(csv.body.split('\r\n')[1]).toBe(`${month},usd,3,1,0.3333,true,1,5000,1,5000,0,0`);
    const byPlan = await h.t.app.inject({
      method: 'GET',
      url: `/api/reports/disputes?plan_id=${h.catalog.pro.id}`,
      headers: admin(),
    });
    expect(byPlan.statusCode).toBe(400);
    expect(byPlan.json().error.code).toBe('plan_filter_unsupported');
  });
});

describe('early fraud warnings', () => {
  it('refund_and_cancel refunds the charge and cancels once, however often and in whatever order the events come', async () => {
    await setPolicies({ early_fraud_warning_policy: 'refund_and_cancel' });
    await endpointForAll(h.t);
    const user = await subscriber(h, 'user_fraud', h.catalog.basic.monthly, {
      card: 'pm_card_createIssuerFraudRecord',
    });
    const [charge] = (await h.stripe.charges.list({ customer: user.customer.id })).data;
    const [warning] = (await h.stripe.radar.earlyFraudWarnings.list({ charge: charge!.id })).data;
    expect(warning?.actionable).toBe(false);
    const refunds = async () => (await h.stripe.refunds.list({ charge: charge!.id })).data;
    expect((await refunds()).map((r) => [r.amount, r.reason])).toEqual([[2000, 'fraudulent']]);
    expect((await h.stripe.subscriptions.retrieve(user.subscription.id)).status).toBe('canceled');

    // Both of its events delivered again, newest first, as new deliveries (new event ids).
    const events = (await h.stripe.events.list({ limit: 100 })).data.filter(
      (e) => (e.data.object as { id?: string }).id === warning!.id,
    );
    expect(events.map((e) => e.type)).toEqual([
      'radar.early_fraud_warning.updated',
      'radar.early_fraud_warning.created',
    ]);
    // The running worker applies them (processing them here as well would race it for the rows).
    for (const [i, event] of [...events, ...events].entries())
      await h.t.services.inbox.ingestStripe({ ...event, id: `${event.id}_again${i}` });
    await settled(h.t);
    const again = await queryRows<{ status: string }>(
      h.t.database.db,
      sql`select status from events where external_id like ${'%_again%'}`,
    );
    expect(again.map((e) => e.status)).toEqual(['processed', 'processed', 'processed', 'processed']);
    expect(await refunds()).toHaveLength(1);
    expect((await actions(warning!.id)).map((a) => a.action)).toEqual([
      'charge_refunded',
      'subscription_canceled',
    ]);
    const [refund] = await refunds();
    const told = (await storedMessages(h.t)).filter(
      (m) => m.type === 'early_fraud_warning.refunded_and_canceled',
    );
    expect(told.map((m) => m.event.data)).toEqual([
      {
        user_id: 'user_fraud',
        organization_id: null,
        early_fraud_warning: { id: warning!.id, charge_id: charge!.id, fraud_type: 'made_with_stolen_card' },
        refund_id: refund!.id,
        subscription_id: user.subscription.id,
      },
    ]);
    expect((await audited(refund!.id)).map((a) => a.action)).toEqual(['refund.create']);
    expect((await audited(user.subscription.id)).map((a) => a.action)).toEqual(['subscription.cancel']);
    const [mirrored] = await queryRows<{ actionable: boolean; subscription_id: string }>(
      h.t.database.db,
      sql`select actionable, subscription_id from early_fraud_warnings where id = ${warning!.id}`,
    );
    expect(mirrored).toEqual({ actionable: false, subscription_id: user.subscription.id });
  });

  it('is left alone by default', async () => {
    const user = await subscriber(h, 'user_warned', h.catalog.basic.monthly, {
      card: 'pm_card_createIssuerFraudRecord',
    });
    const [charge] = (await h.stripe.charges.list({ customer: user.customer.id })).data;
    expect((await h.stripe.refunds.list({ charge: charge!.id })).data).toEqual([]);
    expect((await h.stripe.subscriptions.retrieve(user.subscription.id)).status).toBe('active');
    const listed = await h.t.app.inject({
      method: 'GET',
      url: '/api/admin/early-fraud-warnings',
      headers: admin(),
    });
    expect(listed.json().data).toEqual([
      expect.objectContaining({
        charge_id: charge!.id,
        actionable: true,
        subscription_id: user.subscription.id,
      }),
    ]);
  });
});
