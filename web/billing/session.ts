import { billingPath, type Org, orgFromLocation } from './org-context.js';

/** Where the page keeps its token: this tab only, gone when the tab closes. */
const STORAGE_KEY = 'recur.billing.token';

/**
 * Takes `#token=…` from the address (a billing link, or the host app's own user JWT) into session
 * storage and removes it from the address bar and history, so it is not bookmarked, shared or shown.
 */
export function takeTokenFromLocation(): string | null {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const given = fragment.get('token');
  if (given) {
    sessionStorage.setItem(STORAGE_KEY, given);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(STORAGE_KEY);
}

export function currentToken(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

/** Who the token names, read from its claims for the greeting only; the server checks the signature. */
export function tokenHolder(token: string): string | null {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { name?: unknown; email?: unknown };
    if (typeof claims.name === 'string' && claims.name) return claims.name;
    if (typeof claims.email === 'string' && claims.email) return claims.email;
    return null;
  } catch {
    return null;
  }
}

/**
 * What Stripe's pages sent the user back with (`?checkout=success` …), removed from the address once
 * read; the organisation context (`?org=`) stays.
 */
export function takeReturnOutcome():
  | 'checkout_success'
  | 'purchase_success'
  | 'checkout_cancelled'
  | 'portal_return'
  | null {
  const params = new URLSearchParams(window.location.search);
  const checkout = params.get('checkout');
  const portal = params.get('portal');
  if (!checkout && !portal) return null;
  window.history.replaceState(null, '', billingPath(orgFromLocation()));
  if (checkout === 'success') return 'checkout_success';
  if (checkout === 'purchased') return 'purchase_success';
  if (checkout === 'cancelled') return 'checkout_cancelled';
  return portal ? 'portal_return' : null;
}

/** The billing page's own address in `org`'s context with one more query parameter: Stripe's pages return here. */
export function returnUrl(org: Org, param: 'checkout' | 'portal', value: string): string {
  return `${window.location.origin}${billingPath(org, { [param]: value })}`;
}
