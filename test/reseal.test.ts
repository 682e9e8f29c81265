import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { resealWithCurrentKey } from '../src/security/reseal.js';
import { SEALED_COLUMNS } from '../src/security/sealed-columns.js';
import { PiiCipher } from '../src/shared/crypto.js';
import { bearer, ENCRYPTION_KEY } from './support/app.js';
import { adminCall, createEndpoint } from './support/app-webhooks.js';
import { billingTestApp, customerWithCard, monthlyPrice } from './support/billing-app.js';
import { settled } from './support/wait.js';

/** Rotating RECUR_ENCRYPTION_KEY to its end: every value sealed again, then the old key removed. */
const h = billingTestApp();

const OLD_KEY = Buffer.from(ENCRYPTION_KEY, 'hex');
const NEW_KEY = Buffer.alloc(32, 7);
const SEALED = /^v1\.[0-9a-f]{8}\./;

/** Every sealed value in the database, found by its shape in any text or JSON column of any table. */
async function sealedValues(): Promise<Array<{ place: string; sealed: string }>> {
  const columns = await queryRows<{ table_name: string; column_name: string; data_type: string }>(
    h.t.database.db,
    sql`select table_name, column_name, data_type from information_schema.columns
        where table_schema = 'public' and data_type in ('text', 'jsonb')`,
  );
  const found: Array<{ place: string; sealed: string }> = [];
  for (const c of columns) {
    const rows = await queryRows<{ value: string }>(
      h.t.database.db,
      sql.raw(
        `select "${c.column_name}"::text as value from "${c.table_name}" where "${c.column_name}" is not null`,
      ),
    );
    for (const { value } of rows) {
      const texts =
        c.data_type === 'jsonb'
          ? (value.match(/"v1\.[0-9a-f]{8}\.[^"]+"/g) ?? []).map((v) => JSON.parse(v) as string)
          : [value];
      for (const text of texts.filter((v) => SEALED.test(v)))
        found.push({ place: `${c.table_name}.${c.column_name}`, sealed: text });
    }
  }
  return found;
}

/**
 * A customer with a subscription (events, names, emails), an endpoint with a rotated secret, a billing
 * link, an organisation.
 */
async function storeOneOfEverything() {
  const customer = await customerWithCard(h.stripe, { userId: 'rhea', name: 'Rhea Sol' });
  const price = await monthlyPrice(h.stripe, 1900);
  await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
  await settled(h.t);
  const { id } = await createEndpoint(h.t);
  expect((await adminCall(h.t, 'POST', `/api/admin/webhook-endpoints/${id}/rotate-secret`, {})).status).toBe(
    200,
  );
  const link = await h.t.app.inject({
    method: 'POST',
    url: '/api/billing/links',
    headers: bearer(h.t.serviceKey),
    payload: { user_id: 'rhea' },
  });
  expect(link.statusCode, link.body).toBe(201);
  const org = await h.t.app.inject({
    method: 'PUT',
    url: '/api/organizations/org_rhea',
    headers: bearer(h.t.serviceKey),
    payload: { name: 'Rhea Sol Ltd', billing_email: 'books@rhea.example' },
  });
  expect(org.statusCode, org.body).toBe(201);
}

describe('recur reseal', () => {
  it('seals every stored value with the new key and rehashes emails, so the old key can go', async () => {
    await storeOneOfEverything();
    const before = await sealedValues();
    // Every place that holds a sealed value is one the re-seal knows.
    const known = SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`);
    expect([...new Set(before.map((v) => v.place))].sort()).toEqual([...new Set(known)].sort());

    const rotating = new PiiCipher([NEW_KEY, OLD_KEY]);
    const report = await resealWithCurrentKey(h.t.database.db, rotating);
    for (const column of known) expect(report.resealed[column], column).toBeGreaterThan(0);
    expect(report.resealed['events.payload']).toBe(before.filter((v) => v.place === 'events.payload').length);
    expect(report.rehashed).toBe(1);
    expect(report.reindexed).toBe(1);

    // The new key alone reads everything, and finds the customer by email.
    const remaining = new PiiCipher([NEW_KEY]);
    const after = await sealedValues();
    expect(after).toHaveLength(before.length);
    for (const { sealed } of after) expect(() => remaining.decrypt(sealed)).not.toThrow();
    const [customer] = await queryRows<{ email_hash: string }>(
      h.t.database.db,
      sql`select email_hash from customers`,
    );
    expect(customer!.email_hash).toBe(remaining.emailHash('rhea@example.com'));
    expect(customer!.email_hash).not.toBe(new PiiCipher([OLD_KEY]).emailHash('rhea@example.com'));
    const [named] = await queryRows<{ name_prefixes: string[] }>(
      h.t.database.db,
      sql`select name_prefixes from customers`,
    );
    expect(named!.name_prefixes).toContain(remaining.namePrefixHash('rh'));
    expect(named!.name_prefixes).not.toContain(new PiiCipher([OLD_KEY]).namePrefixHash('rh'));

    // Nothing left to do on a second run, before or after the old key is removed.
    expect(await resealWithCurrentKey(h.t.database.db, rotating)).toEqual({
      resealed: Object.fromEntries(known.map((c) => [c, 0])),
      rehashed: 0,
      reindexed: 0,
    });
    expect((await resealWithCurrentKey(h.t.database.db, remaining)).rehashed).toBe(0);
  });

  it('leaves a value the app rewrote meanwhile as the app wrote it', async () => {
    await storeOneOfEverything();
    const rotating = new PiiCipher([NEW_KEY, OLD_KEY]);
    const [row] = await queryRows<{ id: string; name_encrypted: string }>(
      h.t.database.db,
      sql`select id, name_encrypted from customers`,
    );
    const { resealRepository } = await import('../src/security/reseal-repository.js');
    const name = SEALED_COLUMNS.find((c) => c.column === 'name_encrypted')!;
    const rewritten = rotating.encrypt('Rhea Sol-Lune');
    await h.t.database.db.execute(
      sql`update customers set name_encrypted = ${rewritten} where id = ${row!.id}`,
    );
    expect(await resealRepository.replace(h.t.database.db, name, row!.id, row!.name_encrypted, 'stale')).toBe(
      false,
    );
    const [now] = await queryRows<{ name_encrypted: string }>(
      h.t.database.db,
      sql`select name_encrypted from customers where id = ${row!.id}`,
    );
    expect(now!.name_encrypted).toBe(rewritten);
  });
});
