import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';

/** Verifies the host app's end-user tokens; `sub` is the app's own user id. */
export interface UserTokenVerifier {
  verify(token: string): Promise<{ userId: string } | null>;
}

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
        return typeof payload.sub === 'string' && payload.sub.length > 0 ? { userId: payload.sub } : null;
      } catch {
        return null;
      }
    },
  };
}
