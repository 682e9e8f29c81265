/**
 * The module API as another engineer's module uses it: routes with declared params, async
 * handlers, expansion of its fields, raw (non-API) routes, reset hooks.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, stripeError } from '../testing/harness.js';
import type { EmulatorModule } from './context.js';
import { newId } from './ids.js';
import { p } from './params.js';
import { mustGet } from './records.js';

interface Widget {
  id: string;
  object: 'widget';
  customer: string;
  size: number;
}

let releaseSlow: () => void = () => {};
/** Called when a request to /v1/slow has reached its handler (its idempotency key is taken). */
let slowEntered: () => void = () => {};
let resets = 0;

const widgetsModule: EmulatorModule = {
  name: 'widgets',
  install(ctx) {
    const widgets = ctx.store.collection<Widget>('widget');
    ctx.expand.reference('widget', 'customer', 'customer');
    ctx.route<{ customer: string; size?: number }>({
      method: 'POST',
      path: '/v1/widgets',
      params: { customer: p.string({ required: true }), size: p.integer({ min: 1 }) },
      handler: ({ params }) => {
        const widget: Widget = {
          id: newId('wid'),
          object: 'widget',
          customer: params.customer,
          size: params.size ?? 1,
        };
        ctx.events.emit('widget.created', widgets.save(widget));
        return widget;
      },
    });
    ctx.route({
      method: 'GET',
      path: '/v1/widgets/:id',
      handler: ({ pathParams }) => mustGet(widgets, pathParams.id!, 'widget'),
    });
    ctx.route({
      method: 'POST',
      path: '/v1/slow',
      handler: () => {
        slowEntered();
        return new Promise((resolve) => (releaseSlow = () => resolve({ object: 'slow', id: 'slow_1' })));
      },
    });
    ctx.raw('/pages/', (_req, res, url) => {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<p>${url.pathname}</p>`);
    });
    ctx.onReset(() => resets++);
  },
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ modules: [widgetsModule] });
});
afterAll(() => h.emulator.close());

describe('a plugged-in module', () => {
  it('serves its routes through the SDK, with expansion of its fields', async () => {
    const customer = await h.stripe.customers.create({ name: 'Owner' });
    const created = (await h.stripe.rawRequest('POST', '/v1/widgets', {
      customer: customer.id,
      size: 3,
    })) as Widget;
    expect(created).toMatchObject({ object: 'widget', size: 3 });
    const expanded = await h.stripe.rawRequest('GET', `/v1/widgets/${created.id}?expand[]=customer`);
    expect(expanded.customer).toMatchObject({ id: customer.id, name: 'Owner' });
    expect((await h.stripe.events.list({ type: 'widget.created' })).data).toHaveLength(1);
  });

  it('gets Stripe’s parameter checks for free', async () => {
    const error = await stripeError(
      h.stripe.rawRequest('POST', '/v1/widgets', { customer: 'cus_x', size: 0 }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.param).toBe('size');
    await expect(h.stripe.rawRequest('POST', '/v1/widgets', {})).rejects.toMatchObject({
      code: 'parameter_missing',
    });
  });

  it('answers 409 to a retry that arrives while the first request with its key still runs', async () => {
    const entered = new Promise<void>((resolve) => (slowEntered = resolve));
    const first = h.stripe.rawRequest('POST', '/v1/slow', {}, { idempotencyKey: 'slow-key' });
    await entered;
    const second = await stripeError(
      h.stripe.rawRequest('POST', '/v1/slow', {}, { idempotencyKey: 'slow-key' }),
    );
    expect(second.statusCode).toBe(409);
    expect(second.code).toBe('idempotency_key_in_use');
    releaseSlow();
    expect(await first).toMatchObject({ id: 'slow_1' });
    const replay = await h.stripe.rawRequest('POST', '/v1/slow', {}, { idempotencyKey: 'slow-key' });
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
  });

  it('serves raw pages outside the API and runs reset hooks', async () => {
    const page = await fetch(`${h.emulator.url}/pages/checkout/cs_1`);
    expect(await page.text()).toBe('<p>/pages/checkout/cs_1</p>');
    await h.emulator.reset();
    expect(resets).toBe(1);
  });
});
