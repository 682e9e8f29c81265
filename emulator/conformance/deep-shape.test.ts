/**
 * Response deep-shape test: every object a real lifecycle produces through the official SDK (see
 * `lifecycle.ts`), and every event it emitted with its `data.object` and
 * `data.previous_attributes`, is checked against the pinned SDK's interface for it, recursively
 * through nested objects, lists and expandable fields: every non-optional field present, declared
 * type and nullability, enum values from the declared union, nothing undeclared.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startHarness } from '../testing/harness.js';
import { runLifecycle } from './lifecycle.js';
import { normalizePath, type Shape, sdkTypes } from './sdk-types.js';
import { checkShape } from './shape-check.js';

const sdk = sdkTypes();
const h = await startHarness();
afterAll(() => h.emulator.close());

/** `object` of a resource shape, with `:deleted` for the deleted form. */
function resourceKey(shape: Shape | null): string[] {
  if (!shape) return [];
  if (shape.kind === 'union') return shape.options.flatMap(resourceKey);
  if (shape.kind !== 'object') return [];
  const object = shape.fields().get('object')?.shape;
  if (object?.kind !== 'string' || object.values?.length !== 1) return [];
  const deleted = shape.fields().get('deleted');
  return [`${object.values[0]}${deleted && !deleted.optional ? ':deleted' : ''}`];
}

/** Every resource the emulator's routes answer with, by the SDK operation each route is. */
const served = [
  ...new Set(
    h.emulator.declaredRoutes().flatMap((route) => {
      const path = normalizePath(route.path);
      const operation = sdk.operations().find((o) => o.method === route.method && o.path === path);
      return resourceKey(operation?.result ?? null);
    }),
  ),
].sort();

const problems = new Map<string, string[]>();
const checked = new Map<string, number>();

function record(key: string, found: string[]) {
  checked.set(key, (checked.get(key) ?? 0) + 1);
  problems.set(key, [...(problems.get(key) ?? []), ...found]);
}

function checkResource(value: unknown, where: string) {
  if (typeof value !== 'object' || value === null) return;
  const object = (value as { object?: unknown }).object;
  if (object === 'list' || object === 'search_result') {
    const { data } = value as { data: unknown[] };
    for (const [i, item] of data.entries()) checkResource(item, `${where}.data[${i}]`);
    return;
  }
  if (typeof object !== 'string') return;
  const deleted = (value as { deleted?: unknown }).deleted === true;
  const key = `${object}${deleted ? ':deleted' : ''}`;
  const shape = sdk.resourceFor(object, deleted);
  if (!shape) return record(key, [`${where}: the SDK has no interface for object '${object}'`]);
  const { lastResponse: _, ...fields } = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  record(key, checkShape(fields, shape, where));
}

let step = 0;
await runLifecycle(h, (value) =>
  checkResource(value, `answer ${++step} (${String((value as { object?: string }).object)})`),
);

const eventProblems: string[] = [];
const eventTypes = new Set<string>();
let previousChecked = 0;
for await (const event of h.stripe.events.list({ limit: 100 })) {
  const where = `event ${event.type} ${event.id}`;
  eventTypes.add(event.type);
  // The envelope here; its payload (opaque to the `Event` type) against the payload's own type below.
  const previous = event.data.previous_attributes;
  checkResource({ ...event, data: { object: {}, ...(previous ? { previous_attributes: {} } : {}) } }, where);
  const object = event.data.object as { object?: string; deleted?: boolean };
  checkResource(object, `${where} data.object`);
  if (previous) {
    previousChecked += 1;
    const shape = sdk.resourceFor(String(object.object), object.deleted === true);
    if (shape)
      eventProblems.push(...checkShape(previous, shape, `${where} previous_attributes`, { partial: true }));
  }
}

describe('answers have the shape of the pinned SDK’s interfaces', () => {
  it.each(served)('%s', (key) => {
    expect(checked.get(key) ?? 0, `the lifecycle produced no ${key}`).toBeGreaterThan(0);
    expect(problems.get(key)).toEqual([]);
  });

  it('objects that no route answers with directly, met inside events and answers', () => {
    const others = [...problems.keys()].filter((key) => !served.includes(key));
    expect(Object.fromEntries(others.map((key) => [key, problems.get(key)]))).toEqual(
      Object.fromEntries(others.map((key) => [key, []])),
    );
  });

  it('events, with data.object and data.previous_attributes', () => {
    expect(eventTypes.size).toBeGreaterThan(30);
    expect(previousChecked).toBeGreaterThan(10);
    expect(eventProblems).toEqual([]);
  });
});
