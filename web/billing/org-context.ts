import { createContext, useContext, useEffect, useState } from 'react';

/** The organisation the page bills for, or null for the signed-in user themself. */
export type Org = string | null;

export const orgFromLocation = (): Org => new URLSearchParams(window.location.search).get('org') || null;

/** The billing page's address in a context, with any other query parameters given. */
export function billingPath(org: Org, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...(org ? { org } : {}), ...extra });
  const query = params.toString();
  return `/billing${query ? `?${query}` : ''}`;
}

/**
 * The context as the address says (`/billing?org=acme`), so that a link, a reload and the way back
 * from Stripe's pages keep it; switching pushes a new address, and Back returns to the last context.
 */
export function useOrgFromLocation(): [Org, (org: Org) => void] {
  const [org, setOrg] = useState<Org>(orgFromLocation);
  useEffect(() => {
    const follow = () => setOrg(orgFromLocation());
    window.addEventListener('popstate', follow);
    return () => window.removeEventListener('popstate', follow);
  }, []);
  const switchTo = (next: Org) => {
    if (next === org) return;
    window.history.pushState(null, '', billingPath(next));
    setOrg(next);
  };
  return [org, switchTo];
}

export const OrgContext = createContext<Org>(null);
export const useOrg = () => useContext(OrgContext);

/** Reads under /api/me/* name the context as `?org=`; without it they answer for the user. */
export const orgQuery = (org: Org): { org?: string } => (org ? { org } : {});

/** Checkout and portal sessions name it as `organization_id` in their bodies. */
export const orgBody = (org: Org): { organization_id?: string } => (org ? { organization_id: org } : {});
