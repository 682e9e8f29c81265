import Stripe from 'stripe';
import { AppError, ConflictError, UpstreamError } from '../http/errors.js';

/**
 * Stripe's errors are translated, never passed through: the client learns that Stripe refused
 * (502, with Stripe's reason in words) or could not be reached (503, retry later); Stripe Tax's
 * refusals are 409s the caller can resolve.
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
  // Stripe Tax's refusals are the caller's to resolve (an address to add, tax to set up), not Stripe
  // failing: https://docs.stripe.com/tax/customer-locations, https://docs.stripe.com/tax/set-up.
  if (error.code === 'customer_tax_location_invalid')
    return new ConflictError(
      'customer_location_required',
      `Stripe Tax needs the customer's address to tax this subscription (Checkout asks for it): ${error.message}`,
      { stripe },
    );
  if (error.code === 'stripe_tax_inactive')
    return new ConflictError(
      'tax_not_ready',
      `Stripe Tax is not active on the Stripe account: ${error.message}`,
      {
        stripe,
      },
    );
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
