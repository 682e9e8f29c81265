/**
 * A body parameter naming an object that does not exist is Stripe's 400 `resource_missing` with that
 * parameter (https://docs.stripe.com/error-codes/resource-missing, https://docs.stripe.com/api/errors);
 * only the object in the URL is a 404. Checked for every parameter every route declares as a
 * reference, then through the SDK for the cases Recur meets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, rawRequest, startHarness, stripeError } from '../testing/harness.js';
import type { ParamFields, ParamSpec } from './params.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emulator.close());

interface Reference {
  path: string;
  /** What the hashes around it require, so that a request reaching it is otherwise valid. */
  around: Array<[string, string]>;
}

/** Every `p.ref` path in a declaration, array items at index 0. */
function references(fields: ParamFields, prefix = '', around: Array<[string, string]> = []): Reference[] {
  const here = [...around, ...requiredEntries(fields, prefix)];
  return Object.entries(fields).flatMap(([key, spec]) =>
    refsIn(spec, prefix ? `${prefix}[${key}]` : key, here),
  );
}

function refsIn(spec: ParamSpec, path: string, around: Array<[string, string]>): Reference[] {
  if (spec.kind === 'string') return spec.ref ? [{ path, around }] : [];
  if (spec.kind === 'object') return references(spec.fields, path, around);
  if (spec.kind === 'array') return refsIn(spec.of, `${path}[0]`, around);
  if (spec.kind === 'oneOf') return spec.options.flatMap((option) => refsIn(option, path, around));
  return [];
}

/** Form entries that satisfy every required parameter; references name objects that do not exist. */
function requiredEntries(fields: ParamFields, prefix = ''): Array<[string, string]> {
  return Object.entries(fields)
    .filter(([, spec]) => spec.required)
    .flatMap(([key, spec]) => filler(spec, prefix ? `${prefix}[${key}]` : key));
}

function filler(spec: ParamSpec, path: string): Array<[string, string]> {
  switch (spec.kind) {
    case 'string':
      return [[path, spec.ref ? `missing_${path}` : 'x']];
    case 'integer':
    case 'number':
    case 'decimal':
    case 'range':
      return [[path, '1']];
    case 'boolean':
      return [[path, 'true']];
    case 'enum':
      return [[path, spec.values[0]!]];
    case 'object':
      return requiredEntries(spec.fields, path);
    case 'array':
      return filler(spec.of, `${path}[0]`);
    case 'metadata':
      return [[`${path}[k]`, 'v']];
    case 'oneOf':
      return filler(spec.options[0]!, path);
  }
}

describe('a body parameter naming a missing object', () => {
  it('is 400 resource_missing with that parameter, for every reference every route declares', async () => {
    // A GET has no body: its references are query parameters, read by the same pipeline.
    const routes = h.emulator
      .declaredRoutes()
      .filter((r) => r.method !== 'GET' && r.params && references(r.params).length);
    expect(routes.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const path = route.path.replace(/:[a-z_]+/g, 'x_in_url');
      for (const ref of references(route.params!)) {
        const body = new URLSearchParams(ref.around);
        body.set(ref.path, `missing_${ref.path}`);
        const res = await rawRequest(h.emulator, route.method, path, { body: body.toString() });
        const error = res.json.error;
        const param = String(error?.param);
        const ok =
          res.status === 400 &&
          error?.type === 'invalid_request_error' &&
          error.code === 'resource_missing' &&
          // The first missing one in declaration order is named; its id is the one sent for it.
          new RegExp(`^No such [\\w. ]+: 'missing_${param.replace(/[[\]]/g, '\\$&')}'$`).test(
            String(error.message),
          );
        if (!ok)
          wrong.push(`${route.method} ${route.path} ${ref.path}: ${res.status} ${JSON.stringify(error)}`);
        checked++;
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });

  it('names the parameter and the object as Stripe does, through the SDK', async () => {
    const { stripe } = h;
    const customer = await stripe.customers.create({ email: 'a@example.com' });
    const missingCustomer = await stripeError(
      stripe.subscriptions.create({ customer: 'cus_missing', items: [{ price: 'price_x' }] }),
    );
    expect(missingCustomer).toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      code: 'resource_missing',
      param: 'customer',
      message: "No such customer: 'cus_missing'",
    });
    await expect(
      stripe.subscriptions.create({ customer: customer.id, items: [{ price: 'price_missing' }] }),
    ).rejects.toMatchObject({
      statusCode: 400,
      param: 'items[0][price]',
      message: "No such price: 'price_missing'",
    });
    await expect(stripe.refunds.create({ charge: 'ch_missing' })).rejects.toMatchObject({
      statusCode: 400,
      param: 'charge',
      message: "No such charge: 'ch_missing'",
    });
    await expect(
      stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: 'pm_missing' } }),
    ).rejects.toMatchObject({
      statusCode: 400,
      param: 'invoice_settings[default_payment_method]',
      message: "No such PaymentMethod: 'pm_missing'",
    });
    // A test payment method id names a card made on first use, so it is no missing object.
    await expect(
      stripe.paymentIntents.create({ amount: 500, currency: 'usd', payment_method: 'pm_card_visa' }),
    ).resolves.toMatchObject({ status: 'requires_confirmation' });
  });

  it('leaves the 404 to the object in the URL', async () => {
    await expect(h.stripe.customers.retrieve('cus_missing')).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'id',
    });
  });
});
