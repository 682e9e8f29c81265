import { type Logger, pino } from 'pino';
import { PinoPretty } from 'pino-pretty';
import { isSecretKey, scrubText, scrubUrl, scrubValue } from './redaction.js';

export type { Logger };
export { scrubText };

/** The parts of a request a log line keeps: never its headers or body. */
interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * Serializers run after the log formatter, on the objects as the caller passed them, so each one
 * picks its few fields and scrubs them itself. Fastify takes these over its own (which would log
 * the URL untouched).
 */
const serializers = {
  req: (request: LoggedRequest) => ({
    method: request.method,
    url: typeof request.url === 'string' ? scrubUrl(request.url) : undefined,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }),
  res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
  // Errors were made plain and scrubbed by the formatter already; pino's own would relabel them.
  err: (error: unknown) => error,
};
const SERIALIZED_AS_IS = new Set(['req', 'res']);

export type LogFormat = 'json' | 'pretty';

/**
 * JSON lines, or human-readable ones when `format` says so (by default: when stdout is a terminal).
 * Either way every value is scrubbed and bounded first (see redaction.ts).
 */
export function createLogger(options: {
  level: string;
  destination?: pino.DestinationStream;
  format?: LogFormat;
}): Logger {
  const format = options.format ?? (!options.destination && process.stdout.isTTY ? 'pretty' : 'json');
  const destination =
    options.destination ??
    (format === 'pretty'
      ? PinoPretty({ colorize: true, sync: true, ignore: 'pid,hostname,service' })
      : // Asynchronous: lines logged while a write is under way go out together in the next one, so
        // under load a write carries many lines instead of each line costing a system call of its
        // own (the webhook endpoint logs one per request). Nothing waits when the line is alone, and
        // pino writes what is left synchronously when the process exits.
        pino.destination({ dest: 1, sync: false }));
  return pino(
    {
      level: options.level,
      base: { service: 'recur' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers,
      formatters: {
        log: (object) => {
          const out: Record<string, unknown> = {};
          for (const [key, value] of Object.entries(object)) {
            out[key] = SERIALIZED_AS_IS.has(key)
              ? value
              : isSecretKey(key)
                ? '[redacted]'
                : scrubValue(value, 1);
          }
          return out;
        },
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
    destination,
  );
}
