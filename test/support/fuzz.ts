import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { queryRows } from '../../src/db/client.js';
import type { TestApp } from './app.js';

/**
 * A schema-driven fuzzer of every operation in `openapi.json`: each case is one request built from
 * the operation's documented inputs, with hostile values where the schema asks for ordinary ones.
 */
type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema: Schema;
}
export interface Operation {
  method: string;
  /** OpenAPI form, `/api/plans/{id}`. */
  path: string;
  parameters: Parameter[];
  body: Schema | null;
}

const doc = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Schema>>;
  components?: { schemas?: Record<string, Schema> };
};

function resolve(schema: Schema | undefined): Schema {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return schema ?? {};
  return resolve(doc.components?.schemas?.[ref.split('/').at(-1)!]);
}

export function operations(): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => {
      const content = (op.requestBody as Schema | undefined)?.content as Record<string, Schema> | undefined;
      const json = content?.['application/json']?.schema as Schema | undefined;
      return {
        method: method.toUpperCase(),
        path,
        parameters: ((op.parameters ?? []) as Parameter[]).map((p) => ({ ...p, schema: resolve(p.schema) })),
        body: json ? resolve(json) : null,
      };
    }),
  );
}

const LONE_SURROGATES = ['\ud800', 'a\udc00b', '\udbff'];
export const HOSTILE_STRINGS = [
  '',
  'a\u0000b',
  '\u0000',
  ...LONE_SURROGATES,
  'x'.repeat(10_000),
  '9'.repeat(400),
  "' or 1=1 --",
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'prototype',
  '%00',
  '\u202e\ufeff',
  '😀',
];
export const HOSTILE_NUMBERS = [-1, 0, 1.5, -0.5, 2 ** 53, -(2 ** 63), 1e308, -1e308, 9_999_999_999_999];
export const EXTREME_DATES = [
  '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '1969-12-31T23:59:59Z',
  '2026-02-30T00:00:00Z',
  '9999-12',
  '0000-01',
  '1e400',
];
const WRONG_TYPES: unknown[] = [
  null,
  true,
  false,
  [],
  {},
  [null],
  'text',
  12,
  { __proto__: null, constructor: 1 },
];

/** Values valid in form, so that some requests get past validation into the services. */
export interface Known {
  ids: string[];
}

function deep(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

const isType = (schema: Schema, type: string) =>
  schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));

/** A value for one schema node: mostly hostile, sometimes one it accepts. */
function valueFor(schema: Schema, known: Known, hostileOnly: boolean): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const hostile: fc.Arbitrary<unknown>[] = [
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.constantFrom(...HOSTILE_NUMBERS),
    fc.constantFrom(...EXTREME_DATES),
    fc.constantFrom(...WRONG_TYPES),
    fc.string({ unit: 'binary', maxLength: 40 }),
  ];
  if (hostileOnly) return fc.oneof(...hostile);
  const fair: fc.Arbitrary<unknown>[] = [];
  if (Array.isArray(s.enum)) fair.push(fc.constantFrom(...(s.enum as unknown[])));
  if (isType(s, 'string')) fair.push(fc.constantFrom(...known.ids, '2026-01-01T00:00:00Z', 'usd', '2026-01'));
  if (isType(s, 'integer') || isType(s, 'number')) fair.push(fc.integer({ min: 0, max: 1000 }));
  if (isType(s, 'boolean')) fair.push(fc.boolean());
  return fc.oneof(...hostile, ...fair);
}

function propertiesOf(schema: Schema): Record<string, Schema> {
  const s = resolve(schema);
  const own = (s.properties ?? {}) as Record<string, Schema>;
  const alternatives = [...((s.anyOf ?? []) as Schema[]), ...((s.allOf ?? []) as Schema[])];
  return Object.assign({}, own, ...alternatives.map(propertiesOf));
}

export interface Payload {
  contentType: string | null;
  raw: string | null;
}

function bodyFor(schema: Schema, known: Known, hostileOnly: boolean): fc.Arbitrary<Payload> {
  const properties = propertiesOf(schema);
  const names = Object.keys(properties);
  const fields =
    names.length === 0
      ? fc.constant({})
      : fc.dictionary(
          fc.constantFrom(...names),
          fc.constantFrom(...names).chain((name) => valueFor(properties[name]!, known, hostileOnly)),
          { maxKeys: Math.min(4, names.length) },
        );
  const mutated = fc
    .tuple(fields, fc.constantFrom(null, '__proto__', 'constructor', 'unknown_key', 'prototype'))
    .map(([object, extra]) => {
      const json = JSON.stringify(object);
      if (extra === null) return json;
      const inner = `"${extra}":{"polluted":true}`;
      return json === '{}' ? `{${inner}}` : `${json.slice(0, -1)},${inner}}`;
    });
  const json = (raw: fc.Arbitrary<string>) =>
    raw.map((r): Payload => ({ contentType: 'application/json', raw: r }));
  return fc.oneof(
    { weight: 6, arbitrary: json(mutated) },
    json(
      fc.constantFrom(...WRONG_TYPES, ...HOSTILE_STRINGS, ...HOSTILE_NUMBERS).map((v) => JSON.stringify(v)),
    ),
    json(
      fc.constantFrom(
        JSON.stringify(deep(2000)),
        JSON.stringify({ a: deep(200) }),
        '{"a":',
        '{"a":1}}',
        'nul',
      ),
    ),
    json(fc.constant(JSON.stringify({ big: 'x'.repeat(1_100_000) }))),
    json(fc.constant(JSON.stringify({ many: Array.from({ length: 50_000 }, (_, i) => i) }))),
    fc.constantFrom<Payload>(
      { contentType: 'text/plain', raw: '{"mode":"full"}' },
      { contentType: 'application/x-www-form-urlencoded', raw: 'a=1&__proto__=2' },
      { contentType: 'application/json; charset=utf-16', raw: '{}' },
      { contentType: 'application/xml', raw: '<a/>' },
      { contentType: 'application/json', raw: '' },
      { contentType: null, raw: null },
    ),
  );
}

/** Percent-encodes what `encodeURIComponent` can; a lone surrogate goes as its CESU-8 bytes. */
function encode(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text]
      .map((ch) => (ch.length === 1 && /[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch)))
      .join('');
  }
}

export type Caller = 'anonymous' | 'wrong role' | 'right role' | 'billing link';

export interface FuzzCase {
  operation: Operation;
  caller: Caller;
  url: string;
  payload: Payload;
}

/** Cases over every operation, each as a caller of some kind. */
export function fuzzCases(ops: Operation[], known: Known, hostileOnly: (op: Operation) => boolean) {
  return fc.constantFrom(...ops).chain((operation) => {
    const only = hostileOnly(operation);
    const path = operation.parameters.filter((p) => p.in === 'path');
    const query = operation.parameters.filter((p) => p.in === 'query');
    const pathValues = fc.tuple(...path.map((p) => valueFor(p.schema, known, only)));
    const queryValues = fc.dictionary(
      fc.constantFrom(...query.map((p) => p.name), '__proto__', 'constructor', 'unknown_filter'),
      fc.oneof(
        fc.constantFrom<unknown>(...EXTREME_DATES, ...HOSTILE_STRINGS, ...HOSTILE_NUMBERS, ...known.ids),
        fc.array(fc.constantFrom('a', '1'), { minLength: 2, maxLength: 3 }),
      ),
      { maxKeys: 3 },
    );
    const payload = operation.body
      ? bodyFor(operation.body, known, only)
      : fc.constant<Payload>({ contentType: null, raw: null });
    return fc
      .record({
        pathValues,
        queryValues,
        payload,
        caller: fc.constantFrom<Caller>(
          'anonymous',
          'wrong role',
          'right role',
          'right role',
          'billing link',
        ),
      })
      .map(({ pathValues, queryValues, payload, caller }): FuzzCase => {
        let url = operation.path;
        path.forEach((p, i) => {
          url = url.replace(`{${p.name}}`, encode(pathValues[i]) || 'x');
        });
        const search = Object.entries(queryValues)
          .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}=${encode(x)}`) : [`${k}=${encode(v)}`]))
          .join('&');
        return { operation, caller, url: search ? `${url}?${search}` : url, payload };
      });
  });
}

/**
 * The data a refused request must leave as it was: every table's rows (API keys without their
 * last-use time, which authenticating a request moves) and the Stripe emulator's objects.
 */
export async function dataSnapshot(t: TestApp): Promise<string> {
  const tables = await queryRows<{ tablename: string }>(
    t.database.db,
    sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
  );
  const parts = tables.map(({ tablename }) =>
    tablename === 'api_keys'
      ? `select 'api_keys' as name, md5(coalesce(string_agg(id || ':' || coalesce(revoked_at::text, ''), ',' order by id), '')) as digest from api_keys`
      : `select '${tablename}' as name, md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as digest from "${tablename}" t`,
  );
  const rows = await queryRows<{ name: string; digest: string }>(
    t.database.db,
    sql.raw(parts.join(' union all ')),
  );
  return JSON.stringify({ db: rows, stripe: t.emulator.store.snapshot() });
}
