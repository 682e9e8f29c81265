import { failedQueryFields } from './error-fields.js';

/**
 * What may reach a log line. Redaction is by key first (a field named `email` or `authorization` is
 * dropped whatever it holds), then by pattern over what is left. Every pattern is linear in its
 * input, and no string longer than MAX_LOGGED_CHARS is scanned or written at all: a log line costs
 * the same whatever a client sends, so no request can stall the event loop through the logger.
 */

/** Longer strings are cut to this many characters before scanning (and say how much was cut). */
export const MAX_LOGGED_CHARS = 2048;
const MAX_DEPTH = 5;
const MAX_KEYS = 50;
const MAX_ITEMS = 20;

/** Field names (lower case, compared without `-` and `_`) whose values are never logged. */
const SECRET_KEYS = new Set(
  [
    'authorization',
    'cookie',
    'set-cookie',
    'stripe-signature',
    'x-recur-signature',
    'password',
    'secret',
    'apikey',
    'token',
    'access_token',
    'refresh_token',
    'email',
    'customer_email',
    'card',
    'number',
    'cvc',
  ].map(normalizeKey),
);

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normalizeKey(key));
}

/*
 * Each pattern may only start where its run of allowed characters starts (the lookbehinds), and its
 * repeated parts cannot overlap one another, so a failed match costs at most one pass over the run
 * it began: time linear in the input, whatever the input (see redaction.test.ts for the worst cases).
 */
const PATTERNS: Array<[RegExp, string]> = [
  [/(?<![A-Za-z0-9_])(sk|rk|pk)_(test|live)_[A-Za-z0-9]+/g, '$1_$2_[redacted]'],
  [/(?<![A-Za-z0-9_])rk_[A-Za-z0-9]{16,}/g, 'rk_[redacted]'],
  [/(?<![A-Za-z0-9_])whsec_[A-Za-z0-9_]+/g, 'whsec_[redacted]'],
  [/(?<![A-Za-z0-9_])Bearer[ \t]+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]'],
  [/(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[jwt redacted]'],
  [
    /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    '[email redacted]',
  ],
  // 13–19 digits, optionally grouped by single spaces or dashes: the shape of a card number.
  [/(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g, '[card redacted]'],
];

/** The patterns alone, over the whole text (exported for the tests of their linearity). */
export function scrubPatterns(text: string): string {
  let out = text;
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

export function truncate(text: string, max = MAX_LOGGED_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[${text.length - max} more chars]`;
}

/** A string fit for a log line: cut to size, then secrets, emails and card numbers replaced. */
export function scrubText(text: string): string {
  return scrubPatterns(truncate(text));
}

/** A value fit for a log line: bounded in depth, width and string length; secret keys dropped. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return scrubError(value);
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => scrubValue(v, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`[${value.length - MAX_ITEMS} more items]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  let seen = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (++seen > MAX_KEYS) {
      out['…'] = 'more keys left out';
      break;
    }
    const v = (value as Record<string, unknown>)[key];
    out[key] = isSecretKey(key) ? '[redacted]' : scrubValue(v, depth + 1);
  }
  return out;
}

function scrubError(error: Error): Record<string, unknown> {
  const failedQuery = failedQueryFields(error);
  if (failedQuery) return scrubValue(failedQuery) as Record<string, unknown>;
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: scrubText(error.message),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(error.stack ? { stack: scrubPatterns(truncate(error.stack, 4 * MAX_LOGGED_CHARS)) } : {}),
  };
}

/** A request URL fit for a log line: query values under secret names dropped, the rest scrubbed. */
export function scrubUrl(url: string): string {
  const cut = truncate(url);
  const q = cut.indexOf('?');
  if (q < 0) return scrubPatterns(cut);
  const query = cut
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq > 0 && isSecretKey(safeDecode(pair.slice(0, eq))) ? `${pair.slice(0, eq)}=[redacted]` : pair;
    })
    .join('&');
  return scrubPatterns(`${cut.slice(0, q)}?${query}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
