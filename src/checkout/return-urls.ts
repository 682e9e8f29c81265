import { ValidationError } from '../http/errors.js';

/** Where Stripe may send users back to. */
export interface ReturnTargets {
  /** Origins any page of which is allowed: the host app's (RECUR_APP_URL, RECUR_REDIRECT_ORIGINS). */
  origins: readonly string[];
  /** Single pages allowed with any query or sub-path, and nothing else of their origin: Recur's billing page. */
  pages: readonly string[];
}

function isUnderPage(url: URL, page: string): boolean {
  const allowed = new URL(page);
  return (
    url.origin === allowed.origin &&
    (url.pathname === allowed.pathname || url.pathname.startsWith(`${allowed.pathname}/`))
  );
}

/**
 * Where Stripe may send the user back to. Only the host app's origins and Recur's own billing page
 * are allowed: a return URL taken from the request as given would make Recur an open redirect on
 * Stripe's trusted pages.
 */
export function checkedReturnUrl(given: string, field: string, targets: ReturnTargets): string {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new ValidationError('invalid_return_url', `${field} is not an absolute URL`, { field });
  }
  const web = url.protocol === 'http:' || url.protocol === 'https:';
  const allowed =
    web && (targets.origins.includes(url.origin) || targets.pages.some((page) => isUnderPage(url, page)));
  if (!allowed) {
    throw new ValidationError(
      'redirect_not_allowed',
      `${field} must point at one of the app's origins or at Recur's billing page`,
      { field, allowed_origins: targets.origins, allowed_pages: targets.pages },
    );
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
