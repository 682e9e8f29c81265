/**
 * `data.previous_attributes` of `*.updated` events: the old values of exactly the fields that
 * changed. Nested hashes (metadata, invoice_settings, …) recurse so only the changed keys appear,
 * and a key that did not exist before is reported as `null`, as Stripe does.
 */

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export function previousAttributes(beforeObject: object, afterObject: object): Plain {
  const before = beforeObject as Plain;
  const after = afterObject as Plain;
  const previous: Plain = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const old = before[key];
    const now = after[key];
    if (sameValue(old, now)) continue;
    // Expandable ids and nested resources are reported whole, plain hashes key by key.
    if (isPlainObject(old) && isPlainObject(now) && !('object' in old)) {
      previous[key] = previousAttributes(old, now);
    } else {
      previous[key] = old === undefined ? null : old;
    }
  }
  return previous;
}

/** True when the only differences are bookkeeping fields such as `updated`. */
export function onlyChanged(previous: Plain, ignorable: readonly string[]): boolean {
  return Object.keys(previous).every((key) => ignorable.includes(key));
}
