import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { isSafeText } from '../http/input.js';

/** Who a verified token names: `sub` is the app's own user id; `email` and `name` are optional claims. */
export interface TokenUser {
  userId: string;
  email?: string;
  name?: string;
}

/** Verifies the host app's end-user tokens. */
export interface UserTokenVerifier {
  verify(token: string): Promise<TokenUser | null>;
}

const claim = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= max && isSafeText(value)
    ? value
    : undefined;

/** The longest user id Recur keeps (as every route's user id field, and within Stripe's 500-character metadata). */
export const MAX_USER_ID_LENGTH = 200;

/**
 * The user a verified token's claims name, or null (401) without a subject Recur can store: one
 * with NUL or an unpaired surrogate, or longer than a user id, never reaches SQL or Stripe.
 */
export function tokenUserOf(payload: JWTPayload): TokenUser | null {
  const userId = claim(payload.sub, MAX_USER_ID_LENGTH);
  if (userId === undefined) return null;
  const email = claim(payload.email, 254);
  const name = claim(payload.name, 256);
  return { userId, ...(email ? { email } : {}), ...(name ? { name } : {}) };
}

/** Accepts a token any of the verifiers accepts, asking them in order. */
export function anyUserTokenVerifier(verifiers: (UserTokenVerifier | null)[]): UserTokenVerifier {
  const present = verifiers.filter((v): v is UserTokenVerifier => v !== null);
  return {
    async verify(token) {
      for (const verifier of present) {
        const user = await verifier.verify(token);
        if (user) return user;
      }
      return null;
    },
  };
}

/**
 * Billing-link tokens name this audience, so no other token signed with the same key passes; and a
 * token naming it never signs a user in to the API.
 */
export const BILLING_LINK_AUDIENCE = 'recur-billing';

export function createUserTokenVerifier(options: {
  secret?: string;
  jwksUrl?: string;
  /** Required `aud` when set. */
  audience?: string;
  /** Required `iss` when set. */
  issuer?: string;
}): UserTokenVerifier | null {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (options.jwksUrl) {
    key = createRemoteJWKSet(new URL(options.jwksUrl));
    algorithms = ['RS256', 'ES256', 'PS256', 'EdDSA'];
  } else if (options.secret) {
    key = new TextEncoder().encode(options.secret);
    algorithms = ['HS256'];
  } else {
    return null;
  }
  return {
    async verify(token) {
      try {
        // A token without `exp` would sign its bearer in for good.
        const { payload } = await jwtVerify(token, key as Uint8Array, {
          algorithms,
          clockTolerance: 30,
          requiredClaims: ['exp'],
          ...(options.audience ? { audience: options.audience } : {}),
          ...(options.issuer ? { issuer: options.issuer } : {}),
        });
        const audiences = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
        if (audiences.includes(BILLING_LINK_AUDIENCE)) return null;
        return tokenUserOf(payload);
      } catch {
        return null;
      }
    },
  };
}
