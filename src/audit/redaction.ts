import { scrubValue } from '../observability/redaction.js';

/**
 * Personal data never kept in clear in the audit trail. Keys are compared in lower case without
 * `-` and `_`; a `name` is personal only on objects that name a person (a plan's name is not).
 */
const PERSONAL_KEYS = new Set(
  [
    'email',
    'customer_email',
    'phone',
    'address',
    'shipping',
    'billing_details',
    'line1',
    'line2',
    'postal_code',
    'tax_ids',
  ].map(normalize),
);
const PERSONS = new Set(['customer', 'user']);

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

function redact(value: unknown, person: boolean): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, person));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const k = normalize(key);
    const personal = PERSONAL_KEYS.has(k) || (person && k === 'name');
    out[key] = personal && v !== null && v !== undefined ? '[redacted]' : redact(v, person);
  }
  return out;
}

/**
 * The fields that differ between `before` and `after` (either may be null: a creation, a
 * deletion), personal data replaced by `[redacted]`, secrets and emails scrubbed as in logs, and
 * made plain JSON (dates as ISO strings) so that the hash of what is stored can be read back.
 */
export function auditChanges(
  objectType: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): { before: Record<string, unknown> | null; after: Record<string, unknown> | null } {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changed = [...keys].filter(
    (k) => !before || !after || JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  const pick = (side: Record<string, unknown> | null) =>
    side && Object.fromEntries(changed.filter((k) => k in side).map((k) => [k, side[k]]));
  const person = PERSONS.has(objectType);
  const clean = (side: Record<string, unknown> | null) =>
    side === null
      ? null
      : (JSON.parse(JSON.stringify(scrubValue(redact(pick(side), person)))) as Record<string, unknown>);
  return { before: clean(before), after: clean(after) };
}
