// Walks every write route the app registers, the way the auth walk walks every route: each is
// called once with a request that succeeds, and must leave its audit rows naming the caller. A write
// route added later fails here until it records what it does (or is listed as writing nothing).
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { bearer, type TestApp } from './support/app.js';
import { createPlan } from './support/billing.js';
import { billingTestApp, customerWithCard } from './support/billing-app.js';
import { eventually, settled } from './support/wait.js';

const harness = billingTestApp();
let t: TestApp;
beforeAll(() => {
  t = harness.t;
});

/** Routes that change nothing on anyone's behalf, and why. */
const NOT_WRITES: Record<string, string> = {
  'POST /stripe/webhook': 'stores Stripe’s event (the inbox is its own record); the worker applies it',
  'POST /api/payments/webhook': 'stores the payment provider’s signed notice, as the Stripe webhook does',
  'POST /api/webhooks/payment': 'the same, at its other address',
  'POST /api/subscriptions/:id/preview-change': 'computes a preview; writes nothing',
  'POST /api/organizations/:id/seats/preview': 'computes a preview; writes nothing',
  'POST /api/admin/price-migrations/dry-run': 'computes what a migration would do; writes nothing',
  'POST /api/usage':
    'usage is its own append-only ledger (usage_events, one row per event and its idempotency key); an audit row per event would double the hottest write',
  'POST /api/check': 'answers a balance; with reserve, the hold is its own record (usage_reservations)',
  'POST /api/check/reservations/:id/confirm':
    'settles a reservation, which keeps its status and time, and writes its usage event (source reservation)',
  'POST /api/check/reservations/:id/release': 'settles a reservation, which keeps its status and time',
};

interface Row {
  actor_type: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  changes: { before: Record<string, unknown> | null; after: Record<string, unknown> | null };
  request_id: string | null;
}

interface Step {
  /** The request; answers the JSON body of a 2xx. */
  call: () => Promise<{ status: number; body: Record<string, unknown>; requestId: string }>;
  /** The actions its rows record, in order. */
  actions: string[];
  role: 'admin' | 'service' | 'user';
}

async function head(): Promise<number> {
  const [row] = await queryRows<{ seq: string | null }>(
    t.database.db,
    sql`select max(seq) as seq from audit_log`,
  );
  return Number(row?.seq ?? 0);
}

describe('the audit walk', () => {
  it('every write route leaves one row per thing it changed, naming its caller, request and changes', async () => {
    const credentials = {
      admin: t.adminKey,
      service: t.serviceKey,
      user: await t.userToken('user_walk', { email: 'walk@example.com' }),
    };
    const [keys] = [
      await queryRows<{ id: string; name: string }>(t.database.db, sql`select id, name from api_keys`),
    ];
    const keyIds = {
      admin: keys.find((k) => k.name === 'test admin')!.id,
      service: keys.find((k) => k.name === 'test service')!.id,
      user: 'user_walk',
    };
    const call =
      (role: Step['role'], method: string, url: string | (() => string), payload?: unknown) => async () => {
        const res = await t.app.inject({
          method: method as 'POST',
          url: typeof url === 'string' ? url : url(),
          headers: bearer(credentials[role]),
          ...(payload === undefined ? {} : { payload: typeof payload === 'function' ? payload() : payload }),
        });
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
        return { status: res.statusCode, body: res.json(), requestId: String(res.headers['request-id']) };
      };

    // What the steps act on: two plans, a subscriber paying by card, a delivered webhook.
    const plan = await createPlan(t, { key: 'walk', force: true });
    const other = await createPlan(t, {
      key: 'walk_pro',
      force: true,
      prices: [{ currency: 'usd', unit_amount: 5000, interval: 'month' }],
    });
    const spare = await createPlan(t, { key: 'walk_spare', force: true });
    const customer = await customerWithCard(harness.stripe, { userId: 'user_walk' });
    const sub = await harness.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plan.prices[0]!.stripe_price_id }],
    });
    const bare = await harness.stripe.customers.create({ email: 'bare@example.com', name: 'Bare Person' });
    await settled(t);
    const invoiceId = String(sub.latest_invoice);
    const [event] = await queryRows<{ id: string; object_id: string }>(
      t.database.db,
      sql`select id, object_id from events limit 1`,
    );
    let yearly = '';
    let endpoint = '';
    let delivery = '';
    let newKey = '';
    let migration = '';

    const steps: Record<string, Step> = {
      'PATCH /api/plans/:id': {
        role: 'admin',
        actions: ['plan.update'],
        call: call('admin', 'PATCH', `/api/plans/${plan.id}`, { name: 'Walk plan' }),
      },
      'POST /api/plans/:id/prices': {
        role: 'admin',
        actions: ['price.create'],
        call: async () => {
          const r = await call('admin', 'POST', `/api/plans/${plan.id}/prices`, {
            currency: 'usd',
            unit_amount: 20000,
            interval: 'year',
            force: true,
          })();
          yearly = (r.body.prices as Array<{ id: string; interval: string }>).find(
            (p) => p.interval === 'year',
          )!.id;
          return r;
        },
      },
      'PATCH /api/plans/:id/prices/:priceId': {
        role: 'admin',
        actions: ['price.archive', 'price.create'],
        call: async () => {
          const r = await call('admin', 'PATCH', () => `/api/plans/${plan.id}/prices/${yearly}`, {
            unit_amount: 21000,
            force: true,
          })();
          yearly = (r.body.prices as Array<{ id: string; interval: string; active: boolean }>).find(
            (p) => p.interval === 'year' && p.active,
          )!.id;
          return r;
        },
      },
      'DELETE /api/plans/:id/prices/:priceId': {
        role: 'admin',
        actions: ['price.archive'],
        call: call('admin', 'DELETE', () => `/api/plans/${plan.id}/prices/${yearly}`),
      },
      'POST /api/plans': {
        role: 'admin',
        actions: ['plan.create'],
        call: call('admin', 'POST', '/api/plans', {
          key: 'walk_new',
          name: 'New',
          // An add-on, which the subscriber of a base plan may start a Checkout for below.
          kind: 'add_on',
          prices: [{ currency: 'usd', unit_amount: 900, interval: 'month' }],
          force: true,
        }),
      },
      'DELETE /api/plans/:id': {
        role: 'admin',
        actions: ['plan.delete'],
        call: call('admin', 'DELETE', `/api/plans/${spare.id}`),
      },
      'POST /api/subscriptions/:id/change': {
        role: 'user',
        actions: ['subscription.change'],
        call: call('user', 'POST', `/api/subscriptions/${sub.id}/change`, { plan_id: other.id }),
      },
      'POST /api/subscriptions/:id/cancel': {
        role: 'user',
        actions: ['subscription.cancel_at_period_end'],
        call: call('user', 'POST', `/api/subscriptions/${sub.id}/cancel`, { at_period_end: true }),
      },
      'POST /api/subscriptions/:id/resume': {
        role: 'user',
        actions: ['subscription.resume'],
        call: call('user', 'POST', `/api/subscriptions/${sub.id}/resume`, {}),
      },
      'POST /api/subscriptions/:id/reactivate': {
        role: 'admin',
        actions: ['subscription.cancel', 'subscription.reactivate'],
        call: async () => {
          await call('admin', 'POST', `/api/subscriptions/${sub.id}/cancel`, { at_period_end: false })();
          return call('admin', 'POST', `/api/subscriptions/${sub.id}/reactivate`, {})();
        },
      },
      'POST /api/subscriptions': {
        role: 'service',
        actions: ['customer.create', 'subscription.create'],
        call: call('service', 'POST', '/api/subscriptions', {
          plan_id: plan.id,
          customer_email: 'new@example.com',
        }),
      },
      'POST /stripe/refunds': {
        role: 'admin',
        actions: ['refund.create'],
        call: call('admin', 'POST', '/stripe/refunds', {
          invoice_id: invoiceId,
          amount: 500,
          reason: 'requested_by_customer',
        }),
      },
      'POST /api/admin/credits': {
        role: 'admin',
        actions: ['credits.grant'],
        call: call('admin', 'POST', '/api/admin/credits', {
          user_id: 'user_walk',
          feature: 'ai_credits',
          amount: 50,
          reason: 'goodwill',
        }),
      },
      'POST /api/admin/account-credit': {
        role: 'admin',
        actions: ['credits.account_credit'],
        call: call('admin', 'POST', '/api/admin/account-credit', {
          user_id: 'user_walk',
          amount: 500,
          currency: 'usd',
          reason: 'goodwill',
        }),
      },
      'PUT /api/admin/settings': {
        role: 'admin',
        actions: ['settings.update'],
        call: call('admin', 'PUT', '/api/admin/settings', { cache_enabled: false }),
      },
      'PUT /api/admin/settings/branding': {
        role: 'admin',
        actions: ['branding.update'],
        call: call('admin', 'PUT', '/api/admin/settings/branding', { product_name: 'Walk' }),
      },
      'POST /api/admin/api-keys': {
        role: 'admin',
        actions: ['api_key.create'],
        call: async () => {
          const r = await call('admin', 'POST', '/api/admin/api-keys', { name: 'walk', role: 'service' })();
          newKey = (r.body.api_key as { id: string }).id;
          return r;
        },
      },
      'DELETE /api/admin/api-keys/:id': {
        role: 'admin',
        actions: ['api_key.revoke'],
        call: call('admin', 'DELETE', () => `/api/admin/api-keys/${newKey}`),
      },
      'POST /api/admin/webhook-endpoints': {
        role: 'admin',
        actions: ['webhook_endpoint.create'],
        call: async () => {
          const r = await call('admin', 'POST', '/api/admin/webhook-endpoints', {
            url: 'http://127.0.0.1:9/walk',
            enabled: false,
          })();
          endpoint = (r.body.endpoint as { id: string }).id;
          return r;
        },
      },
      'PATCH /api/admin/webhook-endpoints/:id': {
        role: 'admin',
        actions: ['webhook_endpoint.update'],
        call: call('admin', 'PATCH', () => `/api/admin/webhook-endpoints/${endpoint}`, {
          description: 'walked',
        }),
      },
      'POST /api/admin/webhook-endpoints/:id/rotate-secret': {
        role: 'admin',
        actions: ['webhook_endpoint.rotate_secret'],
        call: call('admin', 'POST', () => `/api/admin/webhook-endpoints/${endpoint}/rotate-secret`, {}),
      },
      'POST /api/admin/webhook-endpoints/:id/test': {
        role: 'admin',
        actions: ['webhook_endpoint.test'],
        call: async () => {
          const r = await call('admin', 'POST', () => `/api/admin/webhook-endpoints/${endpoint}/test`, {})();
          delivery = String(r.body.delivery_id);
          return r;
        },
      },
      'POST /api/admin/webhook-deliveries/:id/resend': {
        role: 'admin',
        actions: ['webhook_delivery.resend'],
        call: call('admin', 'POST', () => `/api/admin/webhook-deliveries/${delivery}/resend`, {}),
      },
      'POST /api/admin/webhook-endpoints/:id/resend-failed': {
        role: 'admin',
        actions: ['webhook_endpoint.resend_failed'],
        call: call('admin', 'POST', () => `/api/admin/webhook-endpoints/${endpoint}/resend-failed`, {
          since: '2020-01-01T00:00:00Z',
        }),
      },
      'DELETE /api/admin/webhook-endpoints/:id': {
        role: 'admin',
        actions: ['webhook_endpoint.delete'],
        call: call('admin', 'DELETE', () => `/api/admin/webhook-endpoints/${endpoint}`),
      },
      'POST /api/admin/events/:id/replay': {
        role: 'admin',
        actions: ['event.replay'],
        call: call('admin', 'POST', `/api/admin/events/${event!.id}/replay`, {}),
      },
      'POST /api/admin/events/replay': {
        role: 'admin',
        actions: ['event.replay'],
        call: call('admin', 'POST', '/api/admin/events/replay', { object_id: event!.object_id }),
      },
      'POST /api/admin/events/:id/discard': {
        role: 'admin',
        actions: ['event.discard'],
        call: async () => {
          // A dead letter of its own, not the one the replays above sent back to the worker.
          const [other] = await queryRows<{ id: string }>(
            t.database.db,
            sql`select id from events where object_id is distinct from ${event!.object_id} limit 1`,
          );
          await t.database.db.execute(sql`update events set status = 'dead' where id = ${other!.id}`);
          return call('admin', 'POST', `/api/admin/events/${other!.id}/discard`, {})();
        },
      },
      'POST /api/checkout/sessions': {
        role: 'user',
        actions: ['checkout_session.create'],
        call: call('user', 'POST', '/api/checkout/sessions', {
          plan_id: 'walk_new',
        }),
      },
      'POST /api/portal/sessions': {
        role: 'user',
        actions: ['portal_session.create'],
        call: call('user', 'POST', '/api/portal/sessions', {}),
      },
      'POST /api/billing/links': {
        role: 'service',
        actions: ['billing_link.create'],
        call: call('service', 'POST', '/api/billing/links', { user_id: 'user_walk' }),
      },
      'POST /api/customers/:id/erase': {
        role: 'admin',
        actions: ['customer.erase'],
        call: call('admin', 'POST', `/api/customers/${bare.id}/erase`),
      },
      'PUT /api/organizations/:id': {
        role: 'service',
        actions: ['organization.create'],
        call: call('service', 'PUT', '/api/organizations/org_walk', { name: 'Walk Co' }),
      },
      'PUT /api/organizations/:id/members/:userId': {
        role: 'service',
        actions: ['organization.member_add'],
        call: call('service', 'PUT', '/api/organizations/org_walk/members/user_walk', { role: 'owner' }),
      },
      'DELETE /api/organizations/:id/members/:userId': {
        role: 'service',
        actions: ['organization.member_remove'],
        call: call('service', 'DELETE', '/api/organizations/org_walk/members/user_walk'),
      },
      'DELETE /api/organizations/:id': {
        role: 'service',
        actions: ['organization.delete'],
        call: call('service', 'DELETE', '/api/organizations/org_walk'),
      },
      'PUT /api/admin/alerts/rules': {
        role: 'admin',
        actions: ['alert_rules.update'],
        call: call('admin', 'PUT', '/api/admin/alerts/rules', { signature_failures: { count: 3 } }),
      },
      'POST /api/admin/usage/report': {
        role: 'admin',
        actions: ['meter_reports.flush'],
        call: call('admin', 'POST', '/api/admin/usage/report'),
      },
      'POST /api/admin/sync': {
        role: 'admin',
        actions: ['sync_run.start'],
        call: call('admin', 'POST', '/api/admin/sync', { mode: 'incremental', objects: ['products'] }),
      },
      // The reactivated subscription, on walk_pro's price, moved to walk's at its renewal.
      'POST /api/admin/price-migrations': {
        role: 'admin',
        actions: ['price_migration.create'],
        call: async () => {
          const r = await call('admin', 'POST', '/api/admin/price-migrations', {
            from_price_ids: [other.prices[0]!.stripe_price_id],
            to_price_id: plan.prices[0]!.stripe_price_id,
            timing: 'renewal',
          })();
          migration = String(r.body.id);
          return r;
        },
      },
      'POST /api/admin/price-migrations/:id/undo': {
        role: 'admin',
        actions: ['subscription.price_migration_undone', 'price_migration.undo'],
        call: async () => {
          const done = call('admin', 'GET', () => `/api/admin/price-migrations/${migration}`);
          await eventually(async () => expect((await done()).body.status).toBe('completed'), 30_000);
          await settled(t);
          return call('admin', 'POST', () => `/api/admin/price-migrations/${migration}/undo`)();
        },
      },
    };

    const writeRoutes = t.routes
      .filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method))
      .map((r) => `${r.method} ${r.url}`);
    const unwalked = writeRoutes.filter((r) => !steps[r] && !NOT_WRITES[r]);
    expect(unwalked, 'write routes with no audit step (record what they do, then add a step here)').toEqual(
      [],
    );

    for (const [route, step] of Object.entries(steps)) {
      const from = await head();
      const { requestId } = await step.call();
      const rows = await queryRows<Row>(
        t.database.db,
        sql`select * from audit_log where seq > ${from} order by seq`,
      );
      // Exactly these rows: nothing else (the worker applying Stripe's events) records any meanwhile.
      expect(
        rows.map((r) => r.action),
        route,
      ).toEqual(step.actions);
      expect(rows.at(-1)!.request_id, route).toBe(requestId);
      for (const row of rows) {
        expect(row, route).toMatchObject({
          actor_type: step.role === 'user' ? 'user' : 'api_key',
          actor_id: keyIds[step.role],
        });
        expect(row.changes.before ?? row.changes.after, `${route}: what changed`).not.toBeNull();
      }
      expect(JSON.stringify(rows), route).not.toMatch(
        /walk@example\.com|new@example\.com|bare@example\.com|Ada Lovelace|Bare Person/,
      );
    }
    await t.services.syncs.stop();
  });
});
