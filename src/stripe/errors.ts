import Stripe from 'stripe';
import { AppError, UpstreamError } from '../http/errors.js';

/**
 * Stripe's errors are translated, never passed through: the client learns that Stripe refused
 * (502, with Stripe's reason in words) or could not be reached (503, retry later).
 */
export function translateStripeError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (!(error instanceof Stripe.errors.StripeError)) {
    return new UpstreamError(503, 'stripe_unavailable', 'Stripe could not be reached; try again shortly');
  }
  const stripe = {
    type: error.type,
    code: error.code,
    param: error.param,
    message: error.message,
    request_id: error.requestId,
  };
  if (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    (error.statusCode ?? 0) >= 500
  ) {
    return new UpstreamError(503, 'stripe_unavailable', `Stripe is unavailable: ${error.message}`, {
      stripe,
    });
  }
  if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  ) {
    return new UpstreamError(502, 'stripe_auth_failed', `Stripe refused Recur's key: ${error.message}`, {
      stripe,
    });
  }
  return new UpstreamError(502, 'stripe_rejected', `Stripe rejected the request: ${error.message}`, {
    stripe,
  });
}

export async function callStripe<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw translateStripeError(error);
  }
}
