import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Paths whose values never reach a log line. Values elsewhere are scrubbed by `scrubText`, which
 * catches secrets, emails and card-like numbers that hide inside messages and error strings.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["stripe-signature"]',
  'req.headers["x-recur-signature"]',
  'req.headers.cookie',
  '*.password',
  '*.secret',
  '*.apiKey',
  '*.api_key',
  '*.token',
  '*.email',
  '*.customer_email',
  '*.card',
  '*.number',
  '*.cvc',
];

const PATTERNS: Array<[RegExp, string]> = [
  [/\b(sk|rk|pk)_(test|live)_[A-Za-z0-9]+/g, '$1_$2_[redacted]'],
  [/\brk_[A-Za-z0-9]{16,}/g, 'rk_[redacted]'],
  [/\bwhsec_[A-Za-z0-9_]+/g, 'whsec_[redacted]'],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]'],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[jwt redacted]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email redacted]'],
  // 13–19 digits, optionally grouped by spaces or dashes: the shape of a card number.
  [/\b(?:\d[ -]?){12,18}\d\b/g, '[card redacted]'],
];

export function scrubText(text: string): string {
  let out = text;
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  if (value instanceof Error) {
    return {
      type: value.name,
      message: scrubText(value.message),
      stack: value.stack && scrubText(value.stack),
    };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v, depth + 1)]));
}

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'recur' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: {
        log: (object) => scrubValue(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    options.destination,
  );
}
