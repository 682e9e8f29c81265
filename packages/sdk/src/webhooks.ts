import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { EntitlementCache } from './entitlement-cache.js';
import { RecurWebhookError } from './errors.js';
import type { RecurEvents } from './generated/events.gen.js';

export type { RecurEvents };
export type RecurEventType = keyof RecurEvents;
/** A verified webhook event; narrow it by `type`. */
export type RecurEvent<T extends RecurEventType = RecurEventType> = { [K in T]: RecurEvents[K] }[T];

/** Request headers as Node (`req.headers`), the Fetch API (`Headers`) or a plain object give them. */
export type WebhookHeaders =
  | Headers
  | Record<string, string | readonly string[] | undefined>
  | { get(name: string): string | null | undefined };

const SIGNED_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | readonly string[] | undefined>;
  const value =
    record[name] ?? Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1] ?? undefined;
  return Array.isArray(value) ? value.join(' ') : (value as string | undefined);
}

/**
 * Verifies Recur's webhooks (the Standard Webhooks specification, checked by the `standardwebhooks`
 * package): the signature over `id.timestamp.body` with any of the configured secrets (several
 * during a rotation; Recur itself signs with both old and new then), and a timestamp within five
 * minutes of now.
 */
export class RecurWebhooks {
  private readonly verifiers: Webhook[];

  constructor(
    secrets: string | readonly string[] | undefined,
    private readonly cache?: EntitlementCache,
  ) {
    const list = secrets === undefined ? [] : typeof secrets === 'string' ? [secrets] : secrets;
    this.verifiers = list.map((secret) => new Webhook(secret));
  }

  /**
   * The event in a delivery, or a thrown `RecurWebhookError` (answer 400). `rawBody` must be the
   * bytes as received: a body parsed and serialised again no longer matches its signature.
   */
  verify(rawBody: string | Uint8Array, headers: WebhookHeaders): RecurEvent {
    if (this.verifiers.length === 0) throw new Error('Recur: no webhookSecret was configured');
    const signed: Record<string, string> = {};
    for (const name of SIGNED_HEADERS) {
      const value = header(headers, name);
      if (!value) throw new RecurWebhookError('missing_headers', `The ${name} header is missing`);
      signed[name] = value;
    }
    let refusal: RecurWebhookError | undefined;
    for (const verifier of this.verifiers) {
      try {
        verifier.verify(rawBody, signed, { jsonParse: false });
        return parseEvent(typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody));
      } catch (error) {
        if (error instanceof RecurWebhookError) throw error;
        refusal = refusalOf(error);
        // A stale timestamp is stale for every secret.
        if (refusal.reason === 'stale_timestamp') break;
      }
    }
    throw refusal!;
  }

  /**
   * Verifies a delivery and applies what the SDK keeps itself: an `entitlements.updated` event
   * updates the in-process entitlement cache (when its sequence is newer). Returns the event for the
   * app's own handling.
   */
  handle(rawBody: string | Uint8Array, headers: WebhookHeaders): RecurEvent {
    const event = this.verify(rawBody, headers);
    if (event.type === 'entitlements.updated') this.cache?.apply(event);
    return event;
  }
}

function refusalOf(error: unknown): RecurWebhookError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof WebhookVerificationError && /timestamp/i.test(message))
    return new RecurWebhookError('stale_timestamp', message);
  return new RecurWebhookError('invalid_signature', message);
}

function parseEvent(body: string): RecurEvent {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    throw new RecurWebhookError('invalid_payload', 'The body is not JSON');
  }
  const candidate = event as Partial<RecurEvent> | null;
  if (
    typeof candidate?.type !== 'string' ||
    typeof candidate.subject !== 'string' ||
    typeof candidate.sequence !== 'number' ||
    typeof candidate.data !== 'object' ||
    candidate.data === null
  )
    throw new RecurWebhookError('invalid_payload', 'The body is not a Recur event');
  return candidate as RecurEvent;
}
