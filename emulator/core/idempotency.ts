/**
 * Idempotency keys, as Stripe keeps them: the first request with a key stores its response; a
 * retry with the same key and the same parameters gets that response again (header
 * `Idempotent-Replayed: true`); the same key with other parameters or another endpoint is an
 * `idempotency_error`; a retry that arrives while the first is still running gets 409
 * `idempotency_key_in_use` (which the SDK retries).
 * Keys expire after 24 hours of emulator time. Records live in the store, so they are reset and
 * snapshotted with everything else.
 */
import type { Clock } from './clock.js';
import { docUrlFor, idempotencyError, StripeApiError } from './errors.js';
import type { Collection, Store } from './store.js';

const KEY_LIFETIME_SECONDS = 24 * 60 * 60;
const MAX_KEY_LENGTH = 255;

export interface StoredResponse {
  status: number;
  body: string;
  /** Request-Id of the request that produced the response. */
  originalRequest?: string;
}

interface IdempotencyRecord {
  id: string;
  endpoint: string;
  fingerprint: string;
  created: number;
  response: StoredResponse | null;
}

export type IdempotencyOutcome = { kind: 'fresh' } | { kind: 'replay'; response: StoredResponse };

/** Order-independent JSON of the request parameters. */
export function fingerprint(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${fingerprint((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

export class IdempotencyKeys {
  private readonly inFlight = new Set<string>();
  private checks = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  private get records(): Collection<IdempotencyRecord> {
    return this.store.collection<IdempotencyRecord>('idempotency_key');
  }

  /** Claims `key` for this request, or returns the response to replay. Throws idempotency errors. */
  begin(key: string, endpoint: string, params: unknown): IdempotencyOutcome {
    if (key.length > MAX_KEY_LENGTH) {
      throw idempotencyError(`Idempotency keys must be at most ${MAX_KEY_LENGTH} characters long.`);
    }
    if (++this.checks % 1000 === 0) this.expireOld();
    const print = fingerprint(params);
    const existing = this.records.get(key);
    if (existing && existing.created >= this.clock.now() - KEY_LIFETIME_SECONDS) {
      if (existing.endpoint !== endpoint) {
        throw idempotencyError(
          `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${existing.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      if (existing.fingerprint !== print) {
        throw idempotencyError(
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      if (existing.response) return { kind: 'replay', response: existing.response };
    }
    if (this.inFlight.has(key)) {
      throw new StripeApiError(409, {
        type: 'invalid_request_error',
        code: 'idempotency_key_in_use',
        doc_url: docUrlFor('idempotency_key_in_use'),
        message: `There is currently another in-progress request using this idempotency key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
      });
    }
    this.inFlight.add(key);
    return { kind: 'fresh' };
  }

  /** Stores the response of a request that ran under `key`. */
  complete(key: string, endpoint: string, params: unknown, response: StoredResponse): void {
    this.inFlight.delete(key);
    this.records.save({
      id: key,
      endpoint,
      fingerprint: fingerprint(params),
      created: this.clock.now(),
      response,
    });
  }

  /** Releases `key` without storing anything: the request never started executing. */
  abandon(key: string): void {
    this.inFlight.delete(key);
  }

  reset(): void {
    this.inFlight.clear();
  }

  private expireOld(): void {
    const cutoff = this.clock.now() - KEY_LIFETIME_SECONDS;
    for (const record of this.records.filter((r) => r.created < cutoff)) this.records.delete(record.id);
  }
}
