// What a subscription write leaves behind: the metadata that clears a scheduled change, and a
// declined card told as the API tells it.

import { AppError, UpstreamError } from '../http/errors.js';
import { SCHEDULED_METADATA } from './views.js';

/** Metadata that removes a scheduled change's keys (Stripe unsets a key sent empty). */
export const CLEARED_SCHEDULE: Record<string, string> = Object.fromEntries(
  Object.values(SCHEDULED_METADATA).map((key) => [key, '']),
);

/** A declined card as the API tells it: 402 with the bank's reason, the subscription unchanged. */
export function paymentFailure(error: unknown): unknown {
  const details =
    error instanceof UpstreamError ? (error.details as { stripe?: { type?: string; code?: string } }) : null;
  if (details?.stripe?.type !== 'StripeCardError') return error;
  if (details.stripe.code === 'authentication_required') {
    // Stripe refuses a change whose payment needs 3-D Secure rather than leave it half done; the
    // customer can authenticate only on a Stripe page (Checkout or the billing portal).
    return new AppError(
      402,
      'authentication_required',
      'The card needs the customer’s authentication (3-D Secure) for this payment, so nothing changed: the customer can make the change on Stripe’s billing portal, where they can authenticate',
      error instanceof UpstreamError ? error.details : undefined,
    );
  }
  return new AppError(
    402,
    'payment_failed',
    `The payment was declined, so nothing changed: ${error instanceof Error ? error.message : ''}`,
    error instanceof UpstreamError ? error.details : undefined,
  );
}

/** `automatic_tax` for a write that bills, while Stripe Tax is on (nothing otherwise). */
export async function automaticTax(
  taxEnabled: (() => Promise<boolean>) | undefined,
): Promise<{ automatic_tax?: { enabled: true } }> {
  return (await taxEnabled?.()) ? { automatic_tax: { enabled: true } } : {};
}
