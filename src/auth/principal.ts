/** Who is calling. API keys act for the operator or a backend service; users come with a JWT. */
export type Principal =
  | { kind: 'api_key'; role: 'admin' | 'service'; keyId: string }
  | { kind: 'user'; role: 'user'; userId: string; email?: string; name?: string };

export type Role = Principal['role'];

/**
 * What each route declares: `public` (anyone), `signed` (authenticated by a request signature the
 * route itself checks, such as Stripe's webhook), or the roles that may call it.
 */
export type Access = 'public' | 'signed' | readonly Role[];

export function principalId(p: Principal): string {
  return p.kind === 'api_key' ? `key:${p.keyId}` : `user:${p.userId}`;
}

/** The user behind a user-only route; the access check has already refused anyone else. */
export function userOf(principal: Principal | null): Extract<Principal, { kind: 'user' }> {
  if (principal?.kind !== 'user') throw new Error('a user route was reached without a user');
  return principal;
}

export function userIdOf(principal: Principal | null): string {
  return userOf(principal).userId;
}
