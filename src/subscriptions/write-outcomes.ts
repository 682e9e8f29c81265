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
  const details = error instanceof UpstreamError ? (error.details as { stripe?: { type?: string } }) : null;
  if (details?.stripe?.type !== 'StripeCardError') return error;
  return new AppError(
    402,
    'payment_failed',
    `The payment was declined, so nothing changed: ${error instanceof Error ? error.message : ''}`,
    error instanceof UpstreamError ? error.details : undefined,
  );
}
