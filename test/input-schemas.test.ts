import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Walks every input of every operation in the committed `openapi.json` (itself checked against the
 * code by openapi.test.ts): a string that can reach SQL or Stripe must refuse NUL and unpaired
 * surrogates by its own documented schema, and a request body must refuse keys it does not know.
 * A route whose field is a bare `z.string()` or whose body is a loose object fails here.
 */
type Schema = Record<string, unknown>;
const doc = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Schema>>;
  components?: { schemas?: Record<string, Schema> };
};

const resolve = (schema: Schema): Schema => {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  return resolve(doc.components?.schemas?.[ref.split('/').at(-1)!] ?? {});
};

const UNSAFE = ['a\u0000b', 'a\ud800b', 'a\udc00'];

/** Every pattern a string schema imposes: its own and those of an `allOf`. */
function patternsOf(schema: Schema): string[] {
  const own = typeof schema.pattern === 'string' ? [schema.pattern] : [];
  const all = Array.isArray(schema.allOf) ? (schema.allOf as Schema[]).flatMap(patternsOf) : [];
  return [...own, ...all];
}

function refusesUnsafeText(schema: Schema): boolean {
  if (Array.isArray(schema.enum) || 'const' in schema) return true;
  const patterns = patternsOf(schema).map((p) => new RegExp(p));
  return UNSAFE.every((value) => patterns.some((p) => !p.test(value)));
}

const isType = (schema: Schema, type: string) =>
  schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));

/** Each string and object node of an input schema, with where it is. */
function* nodes(schema: Schema, at: string): Generator<{ at: string; schema: Schema }> {
  const s = resolve(schema);
  yield { at, schema: s };
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(s[key]))
      for (const [i, sub] of (s[key] as Schema[]).entries()) yield* nodes(sub, `${at}|${i}`);
  }
  if (s.properties)
    for (const [k, v] of Object.entries(s.properties as Record<string, Schema>))
      yield* nodes(v, `${at}.${k}`);
  if (s.items && typeof s.items === 'object') yield* nodes(s.items as Schema, `${at}[]`);
  if (s.additionalProperties && typeof s.additionalProperties === 'object')
    yield* nodes(s.additionalProperties as Schema, `${at}{}`);
}

function inputsOf(): { operation: string; at: string; schema: Schema; inBody: boolean }[] {
  const out: { operation: string; at: string; schema: Schema; inBody: boolean }[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const operation = `${method.toUpperCase()} ${path}`;
      for (const p of (op.parameters ?? []) as Schema[]) {
        for (const node of nodes(p.schema as Schema, `${p.in}:${p.name}`))
          out.push({ operation, ...node, inBody: false });
      }
      const content = (op.requestBody as Schema | undefined)?.content as Record<string, Schema> | undefined;
      for (const [type, media] of Object.entries(content ?? {})) {
        for (const node of nodes(media.schema as Schema, `body(${type})`))
          out.push({ operation, ...node, inBody: true });
      }
    }
  }
  return out;
}

describe('every route’s input schema', () => {
  const inputs = inputsOf();

  it('walks the inputs of most operations', () => {
    expect(new Set(inputs.map((i) => i.operation)).size).toBeGreaterThan(35);
  });

  it('refuses NUL and unpaired surrogates in every string (the text() schema)', () => {
    const unsafe = inputs
      .filter((i) => isType(i.schema, 'string') && !refusesUnsafeText(i.schema))
      .map((i) => `${i.operation} ${i.at}`);
    expect(unsafe).toEqual([]);
  });

  it('takes no string without a length bound', () => {
    const unbounded = inputs
      .filter((i) => isType(i.schema, 'string') && !Array.isArray(i.schema.enum) && !('const' in i.schema))
      .filter((i) => typeof i.schema.maxLength !== 'number' && i.schema.format !== 'date-time')
      .map((i) => `${i.operation} ${i.at}`);
    expect(unbounded).toEqual([]);
  });

  it('refuses unknown keys in every request body (a typo is a 400, not a default)', () => {
    const loose = inputs
      .filter((i) => i.inBody && isType(i.schema, 'object') && i.schema.additionalProperties !== false)
      .filter((i) => typeof i.schema.additionalProperties !== 'object')
      .map((i) => `${i.operation} ${i.at}`);
    expect(loose).toEqual([]);
  });
});
