import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { VettedAddress } from './target-guard.js';

/** What one POST to an endpoint came to: an answer (any status), or why there was none. */
export interface PostOutcome {
  statusCode: number | null;
  /** The first `RESPONSE_KEPT_BYTES` of the answer's body. */
  responseBody: string | null;
  error: string | null;
  durationMs: number;
}

export const RESPONSE_KEPT_BYTES = 1024;

export const USER_AGENT = 'Recur-Webhooks/1.0 (+https://www.standardwebhooks.com)';

/**
 * A resolver that answers only the addresses the target check vetted, so the connection goes
 * where the check looked even if the name now resolves elsewhere (DNS rebinding).
 */
function pinnedLookup(addresses: VettedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) {
      callback(null, addresses);
      return;
    }
    const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
    const chosen = addresses.find((a) => wanted === undefined || a.family === wanted) ?? addresses[0]!;
    callback(null, chosen.address, chosen.family);
  };
}

/**
 * POSTs `body` to `url`, connecting only to `addresses`, within `timeoutMs` for the whole exchange
 * (connect, answer, body). Redirects are not followed: a 3xx is an answer like any other.
 */
export function postWebhook(request: {
  url: URL;
  addresses: VettedAddress[];
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const transport = request.url.protocol === 'https:' ? https : http;
  const payload = Buffer.from(request.body, 'utf8');
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<PostOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, durationMs: elapsed() });
    };
    const req = transport.request(request.url, {
      method: 'POST',
      // A fresh connection per attempt: a pooled one may lead to an address checked for another URL.
      agent: false,
      lookup: pinnedLookup(request.addresses),
      headers: {
        ...request.headers,
        'content-type': 'application/json',
        'content-length': String(payload.length),
        'user-agent': USER_AGENT,
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ statusCode: null, responseBody: null, error: `no answer within ${request.timeoutMs} ms` });
    }, request.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      finish({
        statusCode: null,
        responseBody: null,
        error: error.code ? `${error.code}: ${error.message}` : error.message,
      });
    });
    req.on('response', (res) => {
      const kept: Buffer[] = [];
      let keptBytes = 0;
      const answered = (error: string | null) => {
        finish({
          statusCode: res.statusCode ?? null,
          responseBody: Buffer.concat(kept).toString('utf8').replace(/\0/g, ''),
          error,
        });
        req.destroy();
      };
      // The status and the first kilobyte are all that is kept: a longer answer is not read on.
      res.on('data', (chunk: Buffer) => {
        const room = RESPONSE_KEPT_BYTES - keptBytes;
        kept.push(chunk.subarray(0, room));
        keptBytes += Math.min(chunk.length, room);
        if (keptBytes >= RESPONSE_KEPT_BYTES) answered(null);
      });
      res.on('end', () => answered(null));
      res.on('error', (error) => answered(`the answer broke off: ${error.message}`));
    });
    req.end(payload);
  });
}
