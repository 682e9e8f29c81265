/**
 * Declared request parameters. Every route states the parameters it takes; the server decodes the
 * bracket-notation tree against that declaration, coercing strings to integers, booleans, numbers,
 * arrays and nested objects, and answers Stripe's 400s for anything unknown, missing or malformed.
 *
 * An empty string means "unset" in Stripe's API: `emptyable` parameters turn it into `null`, the
 * others refuse it with `parameter_invalid_empty`.
 */
import {
  invalidRequest,
  parameterInvalidEmpty,
  parameterInvalidInteger,
  parameterMissing,
  parameterUnknown,
} from './errors.js';
import type { FormTree, FormValue } from './form.js';

interface Flags {
  required?: boolean;
  emptyable?: boolean;
}

export type ParamSpec =
  | ({ kind: 'string'; maxLength?: number; ref?: string } & Flags)
  | ({ kind: 'integer'; min?: number; max?: number } & Flags)
  | ({ kind: 'number'; min?: number; max?: number } & Flags)
  | ({ kind: 'decimal' } & Flags)
  | ({ kind: 'boolean' } & Flags)
  | ({ kind: 'enum'; values: readonly string[] } & Flags)
  | ({ kind: 'object'; fields: ParamFields } & Flags)
  | ({ kind: 'array'; of: ParamSpec; maxItems?: number } & Flags)
  | ({ kind: 'metadata' } & Flags)
  | ({ kind: 'range' } & Flags)
  | ({ kind: 'oneOf'; options: readonly ParamSpec[] } & Flags);

export type ParamFields = Record<string, ParamSpec>;

/** Builders for declarations: `p.string({ required: true })`, `p.array(p.string())`, … */
export const p = {
  string: (flags: Flags & { maxLength?: number } = {}): ParamSpec => ({ kind: 'string', ...flags }),
  /** The id of an object of `kind` (see references.ts): the pipeline checks that it exists. */
  ref: (kind: string, flags: Flags = {}): ParamSpec => ({ kind: 'string', ref: kind, ...flags }),
  integer: (flags: Flags & { min?: number; max?: number } = {}): ParamSpec => ({ kind: 'integer', ...flags }),
  number: (flags: Flags & { min?: number; max?: number } = {}): ParamSpec => ({ kind: 'number', ...flags }),
  /** A decimal kept as its string (`unit_amount_decimal`), at most 12 decimal places as Stripe allows. */
  decimal: (flags: Flags = {}): ParamSpec => ({ kind: 'decimal', ...flags }),
  boolean: (flags: Flags = {}): ParamSpec => ({ kind: 'boolean', ...flags }),
  enum: (values: readonly string[], flags: Flags = {}): ParamSpec => ({ kind: 'enum', values, ...flags }),
  object: (fields: ParamFields, flags: Flags = {}): ParamSpec => ({ kind: 'object', fields, ...flags }),
  array: (of: ParamSpec, flags: Flags & { maxItems?: number } = {}): ParamSpec => ({
    kind: 'array',
    of,
    ...flags,
  }),
  /** Stripe's metadata hash: string keys and values; an empty value removes the key. */
  metadata: (flags: Flags = {}): ParamSpec => ({ kind: 'metadata', emptyable: true, ...flags }),
  /** `created=123` or `created[gte]=123&created[lt]=456`. */
  range: (flags: Flags = {}): ParamSpec => ({ kind: 'range', ...flags }),
  /** Unix seconds. */
  timestamp: (flags: Flags = {}): ParamSpec => ({ kind: 'integer', min: 0, ...flags }),
  oneOf: (options: readonly ParamSpec[], flags: Flags = {}): ParamSpec => ({
    kind: 'oneOf',
    options,
    ...flags,
  }),
};

export interface RangeFilter {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)$/;
const DECIMAL_STRING = /^-?\d+(\.\d{1,12})?$/;
const METADATA_MAX_KEYS = 50;
const METADATA_KEY_MAX = 40;
const METADATA_VALUE_MAX = 500;

/** '10.50' → '10.5', '007' → '7': the canonical form Stripe echoes back. */
function normalizeDecimal(value: string): string {
  const [whole = '0', fraction = ''] = value.replace(/^-/, '').split('.');
  const sign = value.startsWith('-') ? '-' : '';
  const int = whole.replace(/^0+(?=\d)/, '');
  const frac = fraction.replace(/0+$/, '');
  return `${sign}${int}${frac ? `.${frac}` : ''}`;
}

function childPath(parent: string, key: string): string {
  return parent ? `${parent}[${key}]` : key;
}

function listWords(values: readonly string[]): string {
  if (values.length <= 2) return values.join(' or ');
  return `${values.slice(0, -1).join(', ')}, or ${values[values.length - 1]}`;
}

function parseInteger(value: string, path: string, min?: number, max?: number): number {
  if (!INTEGER.test(value)) throw parameterInvalidInteger(path, value);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw parameterInvalidInteger(path, value);
  if (min !== undefined && n < min) {
    throw invalidRequest(`This value must be greater than or equal to ${min}.`, { param: path });
  }
  if (max !== undefined && n > max) {
    throw invalidRequest(`This value must be less than or equal to ${max} (it currently is '${n}').`, {
      param: path,
    });
  }
  return n;
}

function expectTree(value: FormValue, path: string, what: 'object' | 'array'): FormTree {
  if (typeof value === 'string') {
    throw invalidRequest(what === 'array' ? 'Invalid array' : 'Invalid object', { param: path });
  }
  return value;
}

function validateMetadata(value: FormValue, path: string): Record<string, string> {
  const tree = expectTree(value, path, 'object');
  const keys = Object.keys(tree);
  if (keys.length > METADATA_MAX_KEYS) {
    throw invalidRequest(`You can have at most ${METADATA_MAX_KEYS} keys in metadata.`, { param: path });
  }
  const out: Record<string, string> = {};
  for (const key of keys) {
    const entry = tree[key]!;
    const param = childPath(path, key);
    if (typeof entry !== 'string')
      throw invalidRequest('Invalid string: metadata values must be strings', { param });
    if (key === '__proto__' || key.length > METADATA_KEY_MAX) {
      throw invalidRequest(
        `Metadata keys can have up to ${METADATA_KEY_MAX} characters, but you passed in '${key}'.`,
        {
          param,
        },
      );
    }
    if (entry.length > METADATA_VALUE_MAX) {
      throw invalidRequest(
        `Metadata values can have up to ${METADATA_VALUE_MAX} characters, but you passed in a value that is ${entry.length} characters long.`,
        { param },
      );
    }
    out[key] = entry;
  }
  return out;
}

function validateRange(value: FormValue, path: string): number | RangeFilter {
  if (typeof value === 'string') return parseInteger(value, path);
  const range: RangeFilter = {};
  for (const key of Object.keys(value)) {
    const param = childPath(path, key);
    if (key !== 'gt' && key !== 'gte' && key !== 'lt' && key !== 'lte') throw parameterUnknown(param);
    const bound = value[key]!;
    if (typeof bound !== 'string') throw parameterInvalidInteger(param, '[object]');
    range[key] = parseInteger(bound, param);
  }
  return range;
}

export function validateValue(spec: ParamSpec, value: FormValue, path: string): unknown {
  if (value === '' && spec.kind !== 'oneOf') {
    if (spec.emptyable) return null;
    throw parameterInvalidEmpty(path);
  }
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') throw invalidRequest('Invalid string', { param: path });
      if (spec.maxLength !== undefined && value.length > spec.maxLength) {
        throw invalidRequest(
          `Invalid string: ${value.slice(0, 20)}...; must be at most ${spec.maxLength} characters`,
          { param: path, code: 'string_length' },
        );
      }
      return value;
    case 'integer':
      if (typeof value !== 'string') throw parameterInvalidInteger(path, '[object]');
      return parseInteger(value, path, spec.min, spec.max);
    case 'number': {
      if (typeof value !== 'string' || !DECIMAL.test(value)) {
        throw invalidRequest(`Invalid decimal: ${String(value)}`, { param: path });
      }
      const n = Number(value);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        throw invalidRequest(`Invalid ${path}: must be between ${spec.min ?? '-∞'} and ${spec.max ?? '∞'}`, {
          param: path,
        });
      }
      return n;
    }
    case 'decimal':
      if (typeof value !== 'string' || !DECIMAL_STRING.test(value)) {
        throw invalidRequest(`Invalid decimal: ${typeof value === 'string' ? value : '[object]'}`, {
          param: path,
        });
      }
      return normalizeDecimal(value);
    case 'boolean':
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw invalidRequest(`Invalid boolean: ${typeof value === 'string' ? value : '[object]'}`, {
        param: path,
      });
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        throw invalidRequest(`Invalid ${path}: must be one of ${listWords(spec.values)}`, { param: path });
      }
      return value;
    case 'object':
      return validateFields(spec.fields, expectTree(value, path, 'object'), path);
    case 'array': {
      const tree = expectTree(value, path, 'array');
      const keys = Object.keys(tree);
      if (!keys.every((k) => INTEGER.test(k))) throw invalidRequest('Invalid array', { param: path });
      if (spec.maxItems !== undefined && keys.length > spec.maxItems) {
        throw invalidRequest(`You can pass at most ${spec.maxItems} items in ${path}.`, { param: path });
      }
      return keys
        .map(Number)
        .sort((a, b) => a - b)
        .map((index) => validateValue(spec.of, tree[String(index)]!, `${path}[${index}]`));
    }
    case 'metadata':
      return validateMetadata(value, path);
    case 'range':
      return validateRange(value, path);
    case 'oneOf': {
      let firstError: unknown;
      for (const option of spec.options) {
        try {
          return validateValue(option, value, path);
        } catch (error) {
          firstError ??= error;
        }
      }
      throw firstError;
    }
  }
}

/** Validates a tree against declared fields: unknown keys first (as Stripe does), then missing ones. */
export function validateFields(fields: ParamFields, tree: FormTree, path = ''): Record<string, unknown> {
  for (const key of Object.keys(tree)) {
    if (!Object.hasOwn(fields, key)) throw parameterUnknown(childPath(path, key));
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(fields)) {
    const value = tree[key];
    if (value === undefined) {
      if (spec.required) throw parameterMissing(childPath(path, key));
      continue;
    }
    out[key] = validateValue(spec, value, childPath(path, key));
  }
  return out;
}
