import { sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { scrubPersonalData } from '../src/customers/scrub.js';
import { queryRows } from '../src/db/client.js';
import { bearer } from './support/app.js';
import { billingTestApp, customerWithCard, monthlyPrice } from './support/billing-app.js';
import { settled } from './support/wait.js';

/** A customer's personal data erased on request: in Stripe, in the mirror and in the stored events. */
const h = billingTestApp();

const EMAIL = 'erin@example.com';
/** What a customer row holds after its erasure. */
const ERASED = {
  email_encrypted: null,
  email_hash: null,
  name_encrypted: null,
  external_id: null,
  metadata: {},
  deleted: true,
};
const NAME = 'Erin Example';

async function erase(id: string, key = h.t.adminKey) {
  return h.t.app.inject({ method: 'POST', url: `/api/customers/${id}/erase`, headers: bearer(key) });
}

/** The decrypted payloads of every stored event that still carries the email or the name. */
async function eventsHoldingPersonalData(): Promise<string[]> {
  const rows = await queryRows<{ type: string; payload: string }>(
    h.t.database.db,
    sql`select type, payload from events order by received_at`,
  );
  return rows
    .filter((r) => {
      const text = h.t.services.cipher.decrypt(r.payload);
      return text.includes(EMAIL) || text.includes(NAME);
    })
    .map((r) => r.type);
}

async function customerColumns(id: string) {
  const [row] = await queryRows<{
    email_encrypted: string | null;
    email_hash: string | null;
    name_encrypted: string | null;
    external_id: string | null;
    metadata: Record<string, string>;
    deleted: boolean;
  }>(
    h.t.database.db,
    sql`select email_encrypted, email_hash, name_encrypted, external_id, metadata, deleted
        from customers where id = ${id}`,
  );
  return row;
}

/** A paying customer of a user, with a subscription, its paid invoice and the events about them. */
async function payingCustomer() {
  const customer = await customerWithCard(h.stripe, { userId: 'erin', name: NAME });
  const price = await monthlyPrice(h.stripe, 2900);
  const subscription = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: price.id }],
  });
  await settled(h.t);
  return { customer, subscription };
}

describe('erasing a customer’s personal data', () => {
  it('is refused while a subscription still gives access, and changes nothing', async () => {
    const { customer, subscription } = await payingCustomer();
    const refused = await erase(customer.id);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'customer_has_live_subscriptions',
      details: { subscription_ids: [subscription.id] },
    });
    const shown = await h.t.app.inject({
      method: 'GET',
      url: `/api/customers/${customer.id}`,
      headers: bearer(h.t.adminKey),
    });
    expect(shown.json()).toMatchObject({ email: EMAIL, name: NAME, external_id: 'erin', erased_at: null });
    expect((await h.stripe.customers.retrieve(customer.id)).deleted).toBeUndefined();
  });

  it('deletes the customer in Stripe, clears it in Recur, keeps the invoices and scrubs the events', async () => {
    const { customer, subscription } = await payingCustomer();
    await h.stripe.subscriptions.cancel(subscription.id);
    await settled(h.t);
    expect((await eventsHoldingPersonalData()).length).toBeGreaterThan(0);

    const erased = await erase(customer.id);
    expect(erased.statusCode, erased.body).toBe(200);
    const body = erased.json();
    expect(body.customer).toMatchObject({
      id: customer.id,
      email: null,
      name: null,
      external_id: null,
      deleted: true,
    });
    expect(Date.parse(body.customer.erased_at)).not.toBeNaN();
    expect(body.events_scrubbed).toBeGreaterThan(0);
    expect(await customerColumns(customer.id)).toEqual(ERASED);
    expect(await h.stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id, deleted: true });

    // The invoice keeps what accounting needs: its number, amounts and status.
    const [invoice] = await queryRows<{ number: string | null; amount_paid: number; status: string }>(
      h.t.database.db,
      sql`select number, amount_paid, status from invoices where customer_id = ${customer.id}`,
    );
    expect(invoice).toMatchObject({ amount_paid: 2900, status: 'paid' });
    expect(invoice!.number).toMatch(/\S/);

    // Stripe's customer.deleted, sent by the deletion, carries the last email and may arrive before
    // or after the erasure's own scrub; whichever, the mirror stays empty and one sweep clears it.
    await settled(h.t);
    expect((await customerColumns(customer.id))?.email_encrypted).toBeNull();
    await h.t.services.retentionSweep.runOnce();
    expect(await eventsHoldingPersonalData()).toEqual([]);

    // One audit row, naming the admin key, with no personal data in it.
    const audit = await queryRows<{ action: string; actor_role: string; changes: unknown }>(
      h.t.database.db,
      sql`select action, actor_role, changes from audit_log where object_id = ${customer.id}`,
    );
    expect(audit).toEqual([
      {
        action: 'customer.erase',
        actor_role: 'admin',
        changes: {
          before: { erased_at: null },
          after: { erased_at: body.customer.erased_at, deleted: true },
        },
      },
    ]);

    // Asked again: the same answer, the first erasure's time, nothing left to scrub, no second row.
    const again = await erase(customer.id);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ customer: body.customer, events_scrubbed: 0 });
    expect(
      await queryRows(h.t.database.db, sql`select 1 from audit_log where object_id = ${customer.id}`),
    ).toHaveLength(1);
  });

  it('scrubs an event about the customer first delivered after the erasure, and keeps the mirror empty', async () => {
    const { customer, subscription } = await payingCustomer();
    await h.stripe.subscriptions.cancel(subscription.id);
    await settled(h.t);
    const [created] = (await h.stripe.events.list({ type: 'customer.created' })).data;
    if (created?.type !== 'customer.created') throw new Error('no customer.created event');
    expect(created.data.object).toMatchObject({ id: customer.id, email: EMAIL });
    expect((await erase(customer.id)).statusCode).toBe(200);
    await settled(h.t);
    await h.t.services.retentionSweep.runOnce();
    expect(await eventsHoldingPersonalData()).toEqual([]);

    // An update Stripe sent before the deletion, held up on its way for an hour.
    const late: Stripe.CustomerUpdatedEvent = { ...created, id: 'evt_late_update', type: 'customer.updated' };
    const { id } = await h.t.services.inbox.ingestStripe(late);
    expect(await h.t.services.worker.process(id)).toBe('processed');
    expect(await eventsHoldingPersonalData()).toEqual(['customer.updated']);
    expect(await customerColumns(customer.id)).toMatchObject({ email_encrypted: null, external_id: null });

    expect(await h.t.services.retentionSweep.runOnce()).toEqual({ scrubbed: 1, pruned: 0 });
    expect(await eventsHoldingPersonalData()).toEqual([]);
    expect(await h.t.services.retentionSweep.runOnce()).toEqual({ scrubbed: 0, pruned: 0 });
  });

  it('keeps an erased row empty whatever writes it later', async () => {
    const { customer, subscription } = await payingCustomer();
    await h.stripe.subscriptions.cancel(subscription.id);
    await settled(h.t);
    expect((await erase(customer.id)).statusCode).toBe(200);
    const { cipher } = h.t.services;
    await h.t.database.db.execute(
      sql`update customers set email_encrypted = ${cipher.encrypt(EMAIL)}, email_hash = ${cipher.emailHash(EMAIL)},
            name_encrypted = ${cipher.encrypt(NAME)}, external_id = 'erin', deleted = false,
            metadata = ${JSON.stringify({ recur_user_id: 'erin' })}::jsonb, erased_at = null
          where id = ${customer.id}`,
    );
    expect(await customerColumns(customer.id)).toEqual(ERASED);
    // The user is a new customer on next need, not linked to the erased one.
    const me = await h.t.app.inject({
      method: 'GET',
      url: '/api/me/customer',
      headers: bearer(await h.t.userToken('erin')),
    });
    expect(me.statusCode).toBe(404);
  });

  it('answers 404 for a customer Recur does not know, and only to admins', async () => {
    const unknown = await erase('cus_unknown');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('customer_not_found');
    const { customer } = await payingCustomer();
    const asService = await erase(customer.id, h.t.serviceKey);
    expect(asService.statusCode).toBe(403);
    expect((await customerColumns(customer.id))?.email_encrypted).not.toBeNull();
  });
});

describe('scrubPersonalData', () => {
  it('nulls the fields that name or reach a person, at any depth, and keeps the rest', () => {
    const invoice = {
      object: 'invoice',
      id: 'in_1',
      number: 'ABC-0001',
      amount_paid: 2900,
      customer_email: EMAIL,
      customer_name: NAME,
      customer_address: { country: 'FR' },
      customer: {
        object: 'customer',
        id: 'cus_1',
        email: EMAIL,
        name: NAME,
        metadata: { recur_user_id: 'erin', plan: 'pro' },
      },
      lines: { data: [{ description: '1 × Pro', amount: 2900 }] },
    };
    expect(scrubPersonalData(invoice, 'recur_user_id')).toEqual({
      object: 'invoice',
      id: 'in_1',
      number: 'ABC-0001',
      amount_paid: 2900,
      customer_email: null,
      customer_name: null,
      customer_address: null,
      customer: { object: 'customer', id: 'cus_1', email: null, name: null, metadata: { plan: 'pro' } },
      lines: { data: [{ description: '1 × Pro', amount: 2900 }] },
    });
    expect(invoice.customer.email).toBe(EMAIL);
  });
});
