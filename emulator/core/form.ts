/**
 * Decodes Stripe's bracket notation (`items[0][price]=p`, `metadata[plan]=pro`, `expand[]=x`) from a
 * form body or query string into a tree of strings. The tree keeps every key as a string: whether
 * `{ "0": … }` is an array or a map with a numeric key (`metadata[1]=x`) is for the declared
 * parameter to decide, not the parser.
 */
import { invalidRequest } from './errors.js';

export type FormValue = string | FormTree;
export interface FormTree {
  [key: string]: FormValue;
}

export function emptyTree(): FormTree {
  return Object.create(null) as FormTree;
}

function decode(component: string): string {
  const spaced = component.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** `a[b][0]` → ['a', 'b', '0']; `a[]` → ['a', ''] where '' means "append". */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0 || !key.endsWith(']')) return [key];
  const segments = [key.slice(0, open)];
  const rest = key.slice(open);
  const pattern = /\[([^\]]*)\]/g;
  let consumed = 0;
  for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) {
    if (match.index !== consumed) return [key];
    segments.push(match[1] ?? '');
    consumed = match.index + match[0].length;
  }
  return consumed === rest.length ? segments : [key];
}

function assign(tree: FormTree, segments: string[], value: string, fullKey: string): void {
  let node = tree;
  for (let i = 0; i < segments.length; i++) {
    let segment = segments[i]!;
    if (segment === '') segment = String(Object.keys(node).length);
    const last = i === segments.length - 1;
    if (last) {
      if (typeof node[segment] === 'object')
        throw invalidRequest(`Invalid value for ${fullKey}`, { param: fullKey });
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (next === undefined) {
      const child = emptyTree();
      node[segment] = child;
      node = child;
    } else if (typeof next === 'string') {
      throw invalidRequest(`Invalid value for ${fullKey}`, { param: fullKey });
    } else {
      node = next;
    }
  }
}

export function parseForm(encoded: string): FormTree {
  const tree = emptyTree();
  if (!encoded) return tree;
  for (const pair of encoded.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    if (!key) continue;
    assign(tree, splitKey(key), value, key);
  }
  return tree;
}

/** Inverse of parseForm, for tests that send hand-built requests. */
export function encodeForm(data: Record<string, unknown>): string {
  const pairs: string[] = [];
  const walk = (key: string, value: unknown) => {
    if (value === undefined) return;
    if (value === null || typeof value !== 'object') {
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(value === null ? '' : String(value))}`);
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(`${key}[${index}]`, item);
    } else {
      for (const [k, v] of Object.entries(value)) walk(`${key}[${k}]`, v);
    }
  };
  for (const [key, value] of Object.entries(data)) walk(key, value);
  return pairs.join('&');
}
