import Stripe from 'stripe';

export const SIGNATURE_TOLERANCE_SECONDS = 300;
/**
 * How far ahead of our clock a signature's timestamp may be (clock skew). The SDK bounds only the
 * age, so a signature dated an hour ahead would stay replayable for an hour and five minutes.
 */
export const SIGNATURE_FUTURE_SKEW_SECONDS = 60;

/** Parsing only: the SDK's verifier needs no key, so one instance serves every request. */
const verifier = new Stripe('sk_test_signature_only');

export type SignatureCheck = { ok: true; event: Stripe.Event } | { ok: false; reason: string };

/**
 * Verifies `Stripe-Signature` over the raw body (HMAC-SHA256, constant-time, 300 s tolerance)
 * against each configured secret in turn, so a secret rotation loses no delivery.
 */
export function verifyStripeSignature(
  rawBody: Buffer | string,
  header: string | undefined,
  secrets: string[],
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing Stripe-Signature header' };
  if (secrets.length === 0) return { ok: false, reason: 'no webhook secret is configured' };
  const timestamp = /(?:^|,)\s*t=(\d{1,12})(?:,|$)/.exec(header);
  if (timestamp && Number(timestamp[1]) > Date.now() / 1000 + SIGNATURE_FUTURE_SKEW_SECONDS)
    return { ok: false, reason: 'timestamp in the future' };
  let reason = 'signature does not match';
  for (const secret of secrets) {
    try {
      const event = verifier.webhooks.constructEvent(rawBody, header, secret, toleranceSeconds);
      // Correctly signed JSON that is not an object (`null`, `42`) is no event either.
      if (typeof event !== 'object' || event === null || Array.isArray(event)) {
        return { ok: false, reason: 'body is not a JSON event' };
      }
      return { ok: true, event };
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) {
        return { ok: false, reason: 'body is not a JSON event' };
      }
      if (/tolerance/i.test(error.message)) reason = 'timestamp outside the 300 s tolerance';
      else if (/header/i.test(error.message) && !/match/i.test(error.message))
        reason = 'malformed Stripe-Signature header';
    }
  }
  return { ok: false, reason };
}

/** Signs a payload as Stripe does; for tests and benchmarks that play Stripe. */
export function signStripePayload(
  payload: string,
  secret: string,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  return verifier.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}
