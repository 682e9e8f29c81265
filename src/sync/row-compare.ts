import type Stripe from 'stripe';
import type { PiiCipher } from '../shared/crypto.js';
import type { SyncObject } from './objects.js';

/** One way a mirror row and Stripe's object disagree, as the reconcile check reports it. */
export interface Difference {
  object: SyncObject;
  id: string;
  /** `missing`: in Stripe, not here. `extra`: here, not in Stripe. `different`: both, a field differs. */
  kind: 'missing' | 'extra' | 'different';
  /** The differing field, named as in the database. */
  field?: string;
  stripe?: unknown;
  mirror?: unknown;
  /** Said instead of the values where they are personal data (email, name) or free-form metadata. */
  note?: string;
}

export type Row = Record<string, unknown> & { id: string };

/** Ciphertexts differ on every write; email and name are compared by other means (the name's index with it). */
const NOT_COMPARED = new Set([
  'emailEncrypted',
  'nameEncrypted',
  'namePrefixes',
  'updatedAt',
  'stripeEventAt',
]);

/** Field by field over what the mapping produces; metadata and the email hash are named, never shown. */
export function compareFields(
  object: SyncObject,
  id: string,
  expected: Record<string, unknown>,
  actual: Row,
): Difference[] {
  const differences: Difference[] = [];
  for (const [key, want] of Object.entries(expected)) {
    if (NOT_COMPARED.has(key) || key === 'id') continue;
    const have = actual[key];
    if (sameJson(plain(want), plain(have))) continue;
    if (key === 'emailHash') {
      differences.push({ object, id, kind: 'different', field: 'email', note: 'email differs' });
    } else if (key === 'metadata') {
      const keys = differingKeys(want as Record<string, string>, have as Record<string, string>);
      differences.push({
        object,
        id,
        kind: 'different',
        field: 'metadata',
        note: `metadata differs (keys: ${keys.join(', ')})`,
      });
    } else {
      differences.push({
        object,
        id,
        kind: 'different',
        field: snakeCase(key),
        stripe: plain(want),
        mirror: plain(have),
      });
    }
  }
  return differences;
}

function differingKeys(a: Record<string, string> | null, b: Record<string, string> | null): string[] {
  const left = a ?? {};
  const right = b ?? {};
  return [...new Set([...Object.keys(left), ...Object.keys(right)])]
    .filter((k) => left[k] !== right[k])
    .sort();
}

/** The name is stored encrypted with a fresh nonce each time, so it is compared in the clear, in memory. */
export function sameName(cipher: PiiCipher, customer: Stripe.Customer, row: Row): boolean {
  let name: string | null = null;
  try {
    name = typeof row.nameEncrypted === 'string' ? cipher.decrypt(row.nameEncrypted) : null;
  } catch {
    name = null;
  }
  return (customer.name ?? null) === name;
}

export function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value === undefined ? null : value;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
