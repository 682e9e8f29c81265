import { ValidationError } from '../http/errors.js';

/**
 * Where Stripe may send the user back to. Only the host app's origins are allowed: a return URL
 * taken from the request as given would make Recur an open redirect on Stripe's trusted pages.
 */
export function checkedReturnUrl(given: string, field: string, allowedOrigins: readonly string[]): string {
  let origin: string;
  try {
    const url = new URL(given);
    origin = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : 'null';
  } catch {
    throw new ValidationError('invalid_return_url', `${field} is not an absolute URL`, { field });
  }
  if (!allowedOrigins.includes(origin)) {
    throw new ValidationError('redirect_not_allowed', `${field} must point at one of the app's origins`, {
      field,
      allowed_origins: allowedOrigins,
    });
  }
  // The text as given, not re-serialised: Stripe fills in `{CHECKOUT_SESSION_ID}` only when literal.
  return given;
}

/** The app's URL with one query parameter telling it how the visit to Stripe ended. */
export function appReturnUrl(appUrl: string, outcome: string): string {
  const url = new URL(appUrl);
  url.searchParams.set('billing', outcome);
  return url.toString();
}
