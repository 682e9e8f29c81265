import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';

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
  typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;

export function createUserTokenVerifier(options: {
  secret?: string;
  jwksUrl?: string;
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
        const { payload } = await jwtVerify(token, key as Uint8Array, { algorithms, clockTolerance: 30 });
        if (typeof payload.sub !== 'string' || payload.sub.length === 0) return null;
        const email = claim(payload.email, 254);
        const name = claim(payload.name, 256);
        return { userId: payload.sub, ...(email ? { email } : {}), ...(name ? { name } : {}) };
      } catch {
        return null;
      }
    },
  };
}
