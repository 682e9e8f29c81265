import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { signStripePayload } from '../src/stripe/signature.js';
import { bearer } from './support/app.js';
import {
  cancelAtPeriodEnd,
  emitTestApp,
  entitlementsAnswer,
  expectSequencesPerSubject,
  ofType,
  storedMessages,
  subscriptionAnswer,
} from './support/app-webhook-messages.js';
import { createPlan } from './support/billing.js';
import { customerWithCard } from './support/billing-app.js';
import { advanceClock } from './support/subscriptions.js';
import { eventually, settled } from './support/wait.js';

/**
 * Subscriptions and entitlements announced to the host app, from real flows against the emulator:
 * each message is written in the transaction of the change it tells of, once per cause.
 */
const h = emitTestApp();

const DAY = 86_400;

/** A user on the `pro` plan through Stripe, on a test clock that starts at the wall clock's now. */
async function subscribedUser(userId: string) {
  const plan = await createPlan(h.t, {
    key: 'pro',
    benefits: [
      { key: 'api', value: true },
      { key: 'seats', value: 5 },
    ],
  });
  const start = Math.floor(Date.now() / 1000);
  const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: start });
  const customer = await customerWithCard(h.stripe, { userId, testClock: clock.id });
  const subscription = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: plan.prices[0]!.stripe_price_id }],
  });
  await settled(h.t);
  return { plan, clock: clock.id, start, customer, subscription };
}

async function replayAll() {
  const replay = await h.t.app.inject({
    method: 'POST',
    url: '/api/admin/events/replay',
    headers: bearer(h.t.adminKey),
    payload: { status: 'processed' },
  });
  expect(replay.statusCode, replay.body).toBe(202);
  expect(replay.json().replayed).toBeGreaterThan(3);
  await settled(h.t);
}

describe('subscription and entitlement messages', () => {
  it('announce a subscription’s life once each: created, renewed, updated with its changed fields, canceled', async () => {
    const { plan, clock, start, subscription } = await subscribedUser('user_ada');
    const subject = `subscription:${subscription.id}`;

    let messages = await storedMessages(h.t);
    const [created] = ofType(messages, 'subscription.created');
    expect(created).toMatchObject({ subject, sequence: 1 });
    expect(created!.data).toEqual({
      user_id: 'user_ada',
      organization_id: null,
      subscription: await subscriptionAnswer(h.t, subscription.id),
    });
    const [granted, ...more] = ofType(messages, 'entitlements.updated');
    expect(more).toEqual([]);
    expect(granted).toMatchObject({ subject: 'user:user_ada', sequence: 1 });
    expect(granted!.data.user_id).toBe('user_ada');
    expect(granted!.data.entitlements).toEqual(await entitlementsAnswer(h.t, 'user_ada'));
    expect(granted!.data.entitlements.benefits).toEqual({ api: true, seats: 5 });
    expect(granted!.data.changes).toEqual({ added: ['api', 'seats'], removed: [], changed: [] });
    expect(granted!.data.entitlements.subscriptions).toEqual([
      expect.objectContaining({ id: subscription.id, plan_id: plan.id, access_until: null }),
    ]);

    // The first renewal: a new period, its invoice paid; the entitlements stay as they were.
    const beforeRenewal = await subscriptionAnswer(h.t, subscription.id);
    await advanceClock(h.stripe, clock, start + 32 * DAY);
    await settled(h.t);
    messages = await storedMessages(h.t);
    const [renewed] = ofType(messages, 'subscription.renewed');
    const renewedView = await subscriptionAnswer(h.t, subscription.id);
    expect(renewed!.data.subscription).toEqual(renewedView);
    const live = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(renewed!.data.invoice_id).toBe(live.latest_invoice);
    expect(ofType(messages, 'entitlements.updated')).toHaveLength(1);
    const renewalUpdates = ofType(messages, 'subscription.updated');
    expect(renewalUpdates.length).toBeGreaterThan(0);
    expect(renewalUpdates.at(-1)!.data.subscription).toEqual(renewedView);
    const changedByRenewal = new Set(renewalUpdates.flatMap((m) => m.data.changed));
    expect([...changedByRenewal].sort()).toEqual(changedFields(beforeRenewal, renewedView));

    // Cancelled at period end through Recur's API: announced by the API's own write, not again
    // when Stripe's events of that change arrive.
    await cancelAtPeriodEnd(h.t, subscription.id);
    messages = await storedMessages(h.t);
    const cancelling = ofType(messages, 'subscription.updated').slice(renewalUpdates.length);
    expect(cancelling).toHaveLength(1);
    const cancelledView = await subscriptionAnswer(h.t, subscription.id);
    expect(cancelling[0]!.data.changed.sort()).toEqual(changedFields(renewedView, cancelledView));
    expect(cancelling[0]!.data.changed).toEqual(expect.arrayContaining(['cancel_at_period_end']));
    expect(cancelling[0]!.data.previous).toEqual(
      Object.fromEntries(cancelling[0]!.data.changed.map((f) => [f, renewedView[f]])),
    );
    // Access now ends at the period's end: the same benefits, with an end.
    const ending = ofType(messages, 'entitlements.updated');
    expect(ending).toHaveLength(2);
    expect(ending[1]!.data.changes).toEqual({ added: [], removed: [], changed: [] });
    expect(ending[1]!.data.entitlements).toEqual(await entitlementsAnswer(h.t, 'user_ada'));
    expect(ending[1]!.data.entitlements.subscriptions[0]!.access_until).toBe(
      cancelledView.current_period_end,
    );

    // The period ends: canceled, and the benefits go.
    await advanceClock(h.stripe, clock, start + 64 * DAY);
    await settled(h.t);
    messages = await storedMessages(h.t);
    const [canceled, ...again] = ofType(messages, 'subscription.canceled');
    expect(again).toEqual([]);
    expect(canceled!.data.subscription.status).toBe('cancelled');
    const revoked = ofType(messages, 'entitlements.updated');
    expect(revoked).toHaveLength(3);
    expect(revoked[2]!.data.changes).toEqual({ added: [], removed: ['api', 'seats'], changed: [] });
    expect(revoked[2]!.data.entitlements).toEqual(await entitlementsAnswer(h.t, 'user_ada'));
    expect(revoked[2]!.data.entitlements).toEqual({
      benefits: {},
      sources: {},
      subscriptions: [],
      purchases: [],
      usage: {},
    });
    expectSequencesPerSubject(messages);

    // Every event applied again: nothing new is announced.
    await replayAll();
    expect(await storedMessages(h.t)).toEqual(messages);
  });

  it('announce new benefits of a plan to each of its subscribers', async () => {
    const { plan } = await subscribedUser('user_plan');
    const edit = await h.t.app.inject({
      method: 'PATCH',
      url: `/api/plans/${plan.id}`,
      headers: bearer(h.t.adminKey),
      payload: {
        benefits: [
          { key: 'seats', value: 10 },
          { key: 'exports', value: true },
        ],
      },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    await settled(h.t);
    const [, changed, ...more] = ofType(await storedMessages(h.t), 'entitlements.updated');
    expect(more).toEqual([]);
    expect(changed!.data.changes).toEqual({ added: ['exports'], removed: ['api'], changed: ['seats'] });
    expect(changed!.data.entitlements).toEqual(await entitlementsAnswer(h.t, 'user_plan'));
  });

  it('announce nothing for a stale snapshot', async () => {
    const { subscription } = await subscribedUser('user_stale');
    const before = await storedMessages(h.t);
    const secret = 'whsec_emit_test';
    h.t.services.webhookSecrets.push(secret);
    // Updates older than everything the mirror holds: the subscription cancelled, the customer deleted.
    const live = await h.stripe.subscriptions.retrieve(subscription.id);
    const customer = await h.stripe.customers.retrieve(String(live.customer));
    const stale = [
      {
        id: 'evt_stale_subscription',
        type: 'customer.subscription.updated',
        object: { ...live, status: 'canceled', cancel_at_period_end: true },
      },
      { id: 'evt_stale_customer', type: 'customer.deleted', object: { ...customer, deleted: true } },
    ];
    for (const { id, type, object } of stale) {
      const body = JSON.stringify({
        id,
        object: 'event',
        api_version: '2026-10-28.endive',
        created: live.created - 60,
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
        data: { object },
      });
      const res = await h.t.app.inject({
        method: 'POST',
        url: '/stripe/webhook',
        payload: body,
        headers: { 'content-type': 'application/json', 'stripe-signature': signStripePayload(body, secret) },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    await settled(h.t);
    const events = await queryRows<{ status: string }>(
      h.t.database.db,
      sql`select status from events where external_id in ('evt_stale_subscription', 'evt_stale_customer')`,
    );
    expect(events.map((e) => e.status)).toEqual(['processed', 'processed']);
    expect(await storedMessages(h.t)).toEqual(before);
  });

  it('rolls a message back with the event that failed after announcing it, and announces it once on the retry', async () => {
    const { subscription } = await subscribedUser('user_fail');
    const before = await storedMessages(h.t);
    // The event's outcome cannot be recorded: its transaction, announcements included, rolls back.
    await h.t.database.db.execute(
      sql.raw(`create function refuse_subscription_deleted() returns trigger language plpgsql as $$
        begin
          if new.type = 'customer.subscription.deleted' and new.status = 'processed' then
            raise exception 'refused by the test';
          end if;
          return new;
        end $$`),
    );
    await h.t.database.db.execute(
      sql.raw(`create trigger refuse_subscription_deleted before update on events
        for each row execute function refuse_subscription_deleted()`),
    );
    try {
      await h.stripe.subscriptions.cancel(subscription.id);
      // Not `settled`: a failed event waits for its retry, which the trigger would refuse again.
      await eventually(async () => {
        const [failed] = await queryRows<{ status: string }>(
          h.t.database.db,
          sql`select status from events where type = 'customer.subscription.deleted'`,
        );
        expect(failed?.status).toMatch(/^(failed|dead)$/);
      });
      expect(ofType(await storedMessages(h.t), 'subscription.canceled')).toEqual([]);
    } finally {
      await h.t.database.db.execute(sql.raw('drop trigger refuse_subscription_deleted on events'));
      await h.t.database.db.execute(sql.raw('drop function refuse_subscription_deleted()'));
    }
    const replay = await h.t.app.inject({
      method: 'POST',
      url: '/api/admin/events/replay',
      headers: bearer(h.t.adminKey),
      payload: { type: 'customer.subscription.deleted' },
    });
    expect(replay.json().replayed).toBe(1);
    await settled(h.t);
    const after = await storedMessages(h.t);
    expect(ofType(after, 'subscription.canceled')).toHaveLength(1);
    const revoked = ofType(after, 'entitlements.updated');
    expect(revoked).toHaveLength(ofType(before, 'entitlements.updated').length + 1);
    expect(revoked.at(-1)!.data.entitlements).toEqual(await entitlementsAnswer(h.t, 'user_fail'));
    expectSequencesPerSubject(after);
  });
});

/** The fields of a subscription's view that differ between two answers, sorted. */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after)
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .sort();
}
