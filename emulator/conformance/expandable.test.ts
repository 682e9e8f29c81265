/**
 * Every field the pinned SDK marks expandable (typed `string | Stripe.X`, maybe `| null`) on a
 * resource the emulator serves can be expanded: asking for it is never refused as "cannot be
 * expanded" (https://docs.stripe.com/expand). Nested hashes are followed (`invoice_settings.…`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { sdkFor } from '../testing/harness.js';
import { normalizePath, type Shape, sdkTypes } from './sdk-types.js';

const sdk = sdkTypes();
const emulator = await startEmulator();
afterAll(() => emulator.close());

const objectOf = (shape: Shape): string | null => {
  if (shape.kind !== 'object') return null;
  const object = shape.fields().get('object')?.shape;
  return object?.kind === 'string' && object.values?.length === 1 ? object.values[0]! : null;
};

/** `string | X (| null)` where X is a resource: an id that expands to X. */
function isExpandable(shape: Shape): boolean {
  if (shape.kind !== 'union') return false;
  const kinds = shape.options.filter((o) => o.kind !== 'null');
  return kinds.some((o) => o.kind === 'string') && kinds.some((o) => objectOf(o) !== null);
}

function expandablePaths(shape: Shape, prefix: string, depth: number): string[] {
  if (shape.kind !== 'object' || depth > 2) return [];
  return [...shape.fields()].flatMap(([name, field]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    if (isExpandable(field.shape)) return [path];
    // Nested hashes (not resources of their own, not lists) are part of the same object.
    const inner =
      field.shape.kind === 'union' ? field.shape.options.find((o) => o.kind === 'object') : field.shape;
    return inner && inner.kind === 'object' && objectOf(inner) === null && !inner.index()
      ? expandablePaths(inner, path, depth + 1)
      : [];
  });
}

const served = [
  ...new Set(
    emulator.declaredRoutes().flatMap((route) => {
      const path = normalizePath(route.path);
      const result = sdk.operations().find((o) => o.method === route.method && o.path === path)?.result;
      const shapes = result?.kind === 'union' ? result.options : result ? [result] : [];
      return shapes.map(objectOf).filter((o): o is string => o !== null && o !== 'list');
    }),
  ),
].sort();

describe('expandable fields of the resources served', () => {
  it.each(served)('%s', (object) => {
    const shape = sdk.resourceFor(object, false);
    const missing = shape
      ? expandablePaths(shape, '', 0).filter((path) => !emulator.context.expand.isExpandable(object, path))
      : [];
    expect(missing).toEqual([]);
  });
});

describe('expanding them on real objects', () => {
  it('answers the object where there is one and null where there is nothing', async () => {
    const stripe = sdkFor(emulator);
    const intent = await stripe.paymentIntents.create({
      amount: 1250,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const charge = await stripe.charges.retrieve(String(intent.latest_charge), {
      expand: ['balance_transaction', 'review', 'application', 'transfer_data.destination'],
    });
    expect(charge.balance_transaction).toMatchObject({
      object: 'balance_transaction',
      amount: 1250,
      net: 1250,
      source: charge.id,
      type: 'charge',
    });
    expect(charge).toMatchObject({ review: null, application: null, transfer_data: null });
    const refund = await stripe.refunds.create({ charge: charge.id, expand: ['balance_transaction'] });
    expect(refund.balance_transaction).toMatchObject({ amount: -1250, type: 'refund', source: refund.id });
    const customer = await stripe.customers.create({ expand: ['default_source'] });
    expect(customer.default_source).toBeNull();
  });
});
