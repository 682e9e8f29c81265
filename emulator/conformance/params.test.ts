/**
 * Request conformance: every parameter every emulator route declares, recursively, exists in the
 * pinned SDK's `*Params` type for that operation, with the same kind and enum values within the
 * SDK's, and what the SDK requires is required. The emulator refuses whatever it does not declare (`parameter_unknown`), so a declaration
 * the SDK lacks would let a request pass here that Stripe refuses. After an SDK upgrade this test
 * lists every declaration to change.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { p } from '../core/params.js';
import { startEmulator } from '../emulator.js';
import { rawRequest } from '../testing/harness.js';
import { conformFields } from './params-conformance.js';
import { normalizePath, sdkTypes } from './sdk-types.js';

const emulator = await startEmulator();
afterAll(() => emulator.close());
const operations = sdkTypes().operations();

const routes = emulator.declaredRoutes().map((route) => {
  const path = normalizePath(route.path);
  const matching = operations.filter((o) => o.method === route.method && o.path === path);
  return { method: route.method, path: route.path, params: route.params ?? {}, matching };
});

describe('emulator routes against the pinned SDK’s operations', () => {
  it('every route is one SDK operation', () => {
    const unmatched = routes.filter((r) => r.matching.length !== 1).map((r) => `${r.method} ${r.path}`);
    expect(unmatched).toEqual([]);
    expect(routes.length).toBeGreaterThan(100);
  });

  it.each(routes)('$method $path declares only what its Params type has', ({ params, matching }) => {
    const operation = matching[0]!;
    if (!operation.params) {
      expect(Object.keys(params), `${operation.name} takes no parameters`).toEqual([]);
      return;
    }
    expect(conformFields(params, operation.params)).toEqual([]);
  });
});

describe('the check itself', () => {
  const update = operations.find((o) => o.name === 'SubscriptionScheduleResource.update')!;

  // https://docs.stripe.com/changelog/clover/2025-09-30/remove-iterations
  it('catches a removed parameter, a wrong kind, a foreign enum value and a required one left optional', () => {
    const drifted = {
      phases: p.array(
        p.object({
          items: p.array(p.object({ price: p.string(), quantity: p.string() }), { required: true }),
          iterations: p.integer(),
          proration_behavior: p.enum(['none', 'sometimes']),
          duration: p.object({ interval: p.enum(['month']) }),
        }),
      ),
    };
    expect(conformFields(drifted, update.params!)).toEqual([
      expect.stringMatching(/^phases\[0\]\[items\]\[0\]\[quantity\]: declared string/),
      expect.stringMatching(/^phases\[0\]\[iterations\]: .* has no such parameter/),
      expect.stringMatching(/^phases\[0\]\[proration_behavior\]: enum values sometimes are not the SDK's/),
      'phases[0][duration][interval]: required by the SDK but declared optional',
    ]);
  });

  it('the emulator refuses what it does not declare as Stripe does', async () => {
    const response = await rawRequest(emulator, 'POST', '/v1/subscription_schedules/sub_sched_x', {
      body: 'phases[0][items][0][price]=price_x&phases[1][iterations]=1',
    });
    expect(response.status).toBe(400);
    expect(response.json.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'parameter_unknown',
      param: 'phases[1][iterations]',
      message: 'Received unknown parameter: phases[1][iterations]',
    });
  });
});
