import { scrubPersonalData } from '../customers/scrub.js';
import { scrubPatterns } from '../observability/redaction.js';
import { USER_ID_METADATA } from '../stripe/mapping.js';

/** Fields shown as `[redacted]` whatever they hold: secrets and what identifies a card. */
const SECRET_FIELDS = new Set(['client_secret', 'secret', 'fingerprint', 'iin', 'token']);

/**
 * An event's payload fit for a screen: the personal fields an erasure would remove set to null
 * (names, emails, addresses: the page shows the customer's own name and email where it means to),
 * secrets and card identifiers replaced, and any email, key or card number left inside a string
 * (a description, a metadata value) replaced as in logs. Ids, amounts, dates and statuses stay.
 */
export function redactPayload(payload: unknown): unknown {
  return redactSecrets(scrubPersonalData(payload, USER_ID_METADATA));
}

function redactSecrets(value: unknown): unknown {
  if (typeof value === 'string') return scrubPatterns(value);
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value))
    out[key] = SECRET_FIELDS.has(key) && field !== null ? '[redacted]' : redactSecrets(field);
  return out;
}
