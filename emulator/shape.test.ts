/**
 * Field-set test: every object the emulator serves has exactly the fields of Stripe's own example
 * of it in fixtures3.json: none missing, none invented, at the top level and in the main nested
 * objects. Fixtures may show an expandable field expanded; only names are compared.
 *
 * Where the SDK types (the truth for API version `Stripe.API_VERSION`) declare a required field
 * that the fixture predates, the row lists it in `sdkOnly`; the test checks that claim against the
 * SDK's declaration file, so the exception cannot hide an invented field.
 *
 * Add a row for every resource you serve: `object` is the fixture key, `make` creates one through
 * the SDK, `nested` names nested objects to compare as well (dotted paths).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testing/harness.js';

interface ShapeRow {
  object: string;
  make: (stripe: Stripe) => Promise<unknown>;
  nested?: string[];
  /** Required fields of the SDK type that the fixture lacks: [declaration file, interface, fields]. */
  sdkOnly?: { file: string; type: string; fields: string[] };
}

const rows: ShapeRow[] = [
  {
    object: 'product',
    make: (stripe) => stripe.products.create({ name: 'Shape' }),
    sdkOnly: { file: 'Products.d.ts', type: 'Product', fields: ['tax_details'] },
  },
  {
    object: 'price',
    make: async (stripe) => {
      const product = await stripe.products.create({ name: 'Shape' });
      return stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 2000,
        recurring: { interval: 'month' },
        transform_quantity: { divide_by: 10, round: 'down' },
      });
    },
    nested: ['recurring', 'transform_quantity'],
  },
  {
    object: 'customer',
    make: (stripe) => stripe.customers.create({ email: 'shape@example.com', address: { city: 'Paris' } }),
    nested: ['address', 'invoice_settings'],
  },
  {
    object: 'payment_method',
    make: (stripe) => stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } }),
    nested: [
      'card',
      'card.checks',
      'card.networks',
      'card.three_d_secure_usage',
      'billing_details',
      'billing_details.address',
    ],
  },
  {
    object: 'setup_intent',
    make: (stripe) => stripe.setupIntents.create({ payment_method_types: ['card'] }),
    sdkOnly: { file: 'SetupIntents.d.ts', type: 'SetupIntent', fields: ['allowed_payment_method_types'] },
  },
  {
    object: 'coupon',
    make: (stripe) =>
      stripe.coupons.create({ percent_off: 25, duration: 'repeating', duration_in_months: 3 }),
  },
  {
    object: 'promotion_code',
    make: async (stripe) => {
      const coupon = await stripe.coupons.create({ percent_off: 10 });
      return stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id } });
    },
    nested: ['restrictions', 'promotion'],
  },
  {
    object: 'webhook_endpoint',
    // The create response adds `secret`, shown only then; the object itself has the fixture's fields.
    make: async (stripe) => {
      const created = await stripe.webhookEndpoints.create({
        url: 'http://127.0.0.1:9/hook',
        enabled_events: ['*'],
      });
      return stripe.webhookEndpoints.retrieve(created.id);
    },
  },
  {
    object: 'event',
    make: async (stripe) => {
      await stripe.products.create({ name: 'Evented' });
      const events = await stripe.events.list({ limit: 1 });
      return events.data[0];
    },
    nested: ['request'],
  },
];

const fixtures = (
  JSON.parse(readFileSync(join(import.meta.dirname, '../../shared/stripe/fixtures3.json'), 'utf8')) as {
    resources: Record<string, Record<string, unknown>>;
  }
).resources;

const sdkResources = join(dirname(createRequire(import.meta.url).resolve('stripe')), '../esm/resources');

/** Required (non-optional) top-level fields of an interface in the SDK's declarations. */
function sdkRequiredFields(file: string, type: string): Set<string> {
  const source = readFileSync(join(sdkResources, file), 'utf8');
  const body = new RegExp(`^export interface ${type} \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(source)?.[1] ?? '';
  return new Set([...body.matchAll(/^ {4}([a-z_0-9]+):/gm)].map((m) => m[1]!));
}

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | null)?.[key], value);
}

const keysOf = (value: unknown) => Object.keys(value as object).sort();

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emulator.close());

describe('objects have the fields of Stripe’s fixtures', () => {
  it.each(rows)('$object', async (row) => {
    const fixture = fixtures[row.object];
    expect(fixture, `fixtures3.json has no ${row.object}`).toBeDefined();
    const made = await row.make(h.stripe);
    const sdkOnly = row.sdkOnly?.fields ?? [];
    if (row.sdkOnly) {
      const required = sdkRequiredFields(row.sdkOnly.file, row.sdkOnly.type);
      for (const field of sdkOnly) expect(required, `${field} is not a required SDK field`).toContain(field);
    }
    const expected = [...new Set([...keysOf(fixture), ...sdkOnly])].sort();
    expect(keysOf(made)).toEqual(expected);
    for (const path of row.nested ?? []) {
      const ours = at(made, path);
      const theirs = at(fixture, path);
      expect(ours, `${row.object}.${path} is not an object`).toBeTypeOf('object');
      expect(theirs, `fixture ${row.object}.${path} is not an object`).toBeTypeOf('object');
      expect(keysOf(ours), `${row.object}.${path}`).toEqual(keysOf(theirs));
    }
  });
});
