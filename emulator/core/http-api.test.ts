import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, rawRequest, sdkFor, startHarness, stripeError } from '../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emulator.close());

describe('authentication', () => {
  it('answers 401 with Stripe’s error body when no key is sent', async () => {
    const res = await rawRequest(h.emulator, 'GET', '/v1/products', { key: null });
    expect(res.status).toBe(401);
    expect(res.json.error?.type).toBe('invalid_request_error');
    expect(res.json.error?.message).toMatch(/You did not provide an API key/);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
  });

  it('raises StripeAuthenticationError for a key that is not a test key', async () => {
    const live = sdkFor(h.emulator, { key: 'sk_live_1234567890abcdef' });
    const error = await live.products.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect((error as Stripe.errors.StripeError).message).toBe(
      'Invalid API Key provided: sk_live_************cdef',
    );
  });

  it('accepts restricted test keys and basic auth', async () => {
    await expect(sdkFor(h.emulator, { key: 'rk_test_abc' }).products.list()).resolves.toMatchObject({
      object: 'list',
    });
    const basic = Buffer.from('sk_test_abc:').toString('base64');
    const res = await rawRequest(h.emulator, 'GET', '/v1/products', {
      key: null,
      headers: { Authorization: `Basic ${basic}` },
    });
    expect(res.status).toBe(200);
  });
});

describe('request decoding', () => {
  it('decodes bracket notation: nested objects, indexed and appended arrays, metadata', async () => {
    const body =
      'name=Widget&metadata[plan]=pro&metadata[1]=numeric-key&marketing_features[0][name]=Fast' +
      '&marketing_features[1][name]=Cheap&default_price_data[currency]=usd&default_price_data[unit_amount]=1500' +
      '&default_price_data[recurring][interval]=month&expand[]=default_price';
    const res = await rawRequest(h.emulator, 'POST', '/v1/products', { body });
    expect(res.status).toBe(200);
    expect(res.json.metadata).toEqual({ plan: 'pro', '1': 'numeric-key' });
    expect(res.json.marketing_features).toEqual([{ name: 'Fast' }, { name: 'Cheap' }]);
    expect(res.json.default_price).toMatchObject({
      object: 'price',
      unit_amount: 1500,
      recurring: { interval: 'month' },
    });
  });

  it('decodes query strings for GET the same way, with indexed expand', async () => {
    const product = await h.stripe.products.create({
      name: 'Q',
      default_price_data: { currency: 'eur', unit_amount: 100 },
    });
    const res = await rawRequest(
      h.emulator,
      'GET',
      `/v1/products?ids[0]=${product.id}&expand[0]=data.default_price&limit=5`,
    );
    expect(res.status).toBe(200);
    expect((res.json.data as Array<{ default_price: { currency: string } }>)[0]?.default_price.currency).toBe(
      'eur',
    );
  });

  it('coerces declared types and rejects values that do not fit', async () => {
    const bad = await rawRequest(h.emulator, 'POST', '/v1/products', { body: 'name=x&active=maybe' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({
      type: 'invalid_request_error',
      param: 'active',
      message: 'Invalid boolean: maybe',
    });
    const integer = await rawRequest(h.emulator, 'GET', '/v1/products?limit=ten');
    expect(integer.json.error).toMatchObject({ code: 'parameter_invalid_integer', param: 'limit' });
  });

  it('rejects unknown parameters, nested ones included, with parameter_unknown', async () => {
    const error = await stripeError(
      h.stripe.products.create({ name: 'x', colour: 'blue' } as Stripe.ProductCreateParams),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({
      code: 'parameter_unknown',
      param: 'colour',
      message: 'Received unknown parameter: colour',
    });
    expect(error.statusCode).toBe(400);
    expect(error.requestId).toMatch(/^req_/);

    const nested = await rawRequest(h.emulator, 'POST', '/v1/prices', {
      body: 'currency=usd&unit_amount=1&product_data[name]=x&recurring[interval]=month&recurring[colour]=red',
    });
    expect(nested.json.error).toMatchObject({ code: 'parameter_unknown', param: 'recurring[colour]' });
  });

  it('reports missing required parameters with parameter_missing', async () => {
    const error = await stripeError(h.stripe.products.create({} as Stripe.ProductCreateParams));
    expect(error).toMatchObject({
      code: 'parameter_missing',
      param: 'name',
      message: 'Missing required param: name.',
    });
    expect(error.raw).toMatchObject({ doc_url: 'https://stripe.com/docs/error-codes/parameter-missing' });
  });

  it('refuses an empty string for a parameter that cannot be unset', async () => {
    const res = await rawRequest(h.emulator, 'POST', '/v1/products', { body: 'name=' });
    expect(res.json.error).toMatchObject({ code: 'parameter_invalid_empty', param: 'name' });
  });
});

describe('responses', () => {
  it('carries Request-Id and the one Stripe-Version it serves', async () => {
    const res = await rawRequest(h.emulator, 'GET', '/v1/customers', {
      headers: { 'Stripe-Version': Stripe.API_VERSION },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toMatch(/^req_[A-Za-z0-9]{14}$/);
    expect(res.headers.get('stripe-version')).toBe(Stripe.API_VERSION);
    const plain = await rawRequest(h.emulator, 'GET', '/v1/customers');
    expect(plain.headers.get('stripe-version')).toBe(Stripe.API_VERSION);
  });

  // https://docs.stripe.com/api/versioning
  it('refuses another Stripe-Version with a 400 naming the version served, before doing anything', async () => {
    const res = await rawRequest(h.emulator, 'POST', '/v1/customers', {
      headers: { 'Stripe-Version': '2024-06-20' },
      body: 'email=old@example.com',
    });
    expect(res.status).toBe(400);
    expect(res.json.error?.type).toBe('invalid_request_error');
    expect(res.json.error?.message).toContain('2024-06-20');
    expect(res.json.error?.message).toContain(Stripe.API_VERSION);
    expect(res.headers.get('stripe-version')).toBe(Stripe.API_VERSION);
    const customers = await sdkFor(h.emulator).customers.list({ email: 'old@example.com' });
    expect(customers.data).toEqual([]);
  });

  // https://docs.stripe.com/connect/authentication#stripe-account-header: Connect is not emulated.
  it('refuses a request on behalf of a connected account as Stripe refuses it for a non-platform', async () => {
    const connected = sdkFor(h.emulator).customers.create(
      { email: 'connected@example.com' },
      { stripeAccount: 'acct_1ConnectedAccount' },
    );
    await expect(connected).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(connected).rejects.toMatchObject({
      statusCode: 400,
      message: /Only Stripe Connect platforms/,
    });
    const customers = await sdkFor(h.emulator).customers.list({ email: 'connected@example.com' });
    expect(customers.data).toEqual([]);
  });

  it('answers Stripe’s 404 for an unknown URL and for a missing object', async () => {
    const url = await rawRequest(h.emulator, 'GET', '/v1/frobnicators');
    expect(url.status).toBe(404);
    expect(url.json.error?.message).toMatch(/^Unrecognized request URL \(GET: \/v1\/frobnicators\)/);
    const error = await stripeError(h.stripe.products.retrieve('prod_missing'));
    expect(error).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'id',
      message: "No such product: 'prod_missing'",
    });
  });
});

describe('control endpoints', () => {
  it('reports health and counts', async () => {
    await h.stripe.customers.create({});
    const res = await fetch(`${h.emulator.url}/_emulator/health`);
    const body = (await res.json()) as { status: string; objects: Record<string, number> };
    expect(body.status).toBe('ok');
    expect(body.objects.customer).toBeGreaterThan(0);
  });

  it('fixes and frees emulator time over HTTP', async () => {
    await fetch(`${h.emulator.url}/_emulator/clock`, {
      method: 'POST',
      body: JSON.stringify({ now: 1_700_000_000 }),
    });
    expect((await h.stripe.customers.create({})).created).toBe(1_700_000_000);
    await fetch(`${h.emulator.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ now: null }) });
    expect((await h.stripe.customers.create({})).created).toBeGreaterThan(1_700_000_000);
  });
});
