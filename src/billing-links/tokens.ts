import { decodeJwt, jwtVerify, SignJWT } from 'jose';
import { BILLING_LINK_AUDIENCE, type TokenUser, tokenUserOf } from '../auth/jwt.js';

export { BILLING_LINK_AUDIENCE };
export const BILLING_LINK_ISSUER = 'recur';

export function signBillingToken(key: Uint8Array, user: TokenUser, expiresAt: Date): Promise<string> {
  return new SignJWT({
    ...(user.email ? { email: user.email } : {}),
    ...(user.name ? { name: user.name } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(BILLING_LINK_ISSUER)
    .setAudience(BILLING_LINK_AUDIENCE)
    .setSubject(user.userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
}

/** The user a billing-link token names, or null when it is forged, expired or meant for anyone else. */
export async function verifyBillingToken(key: Uint8Array, token: string): Promise<TokenUser | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      audience: BILLING_LINK_AUDIENCE,
      issuer: BILLING_LINK_ISSUER,
      requiredClaims: ['exp'],
      clockTolerance: 5,
    });
    return tokenUserOf(payload);
  } catch {
    return null;
  }
}

/**
 * Whether a token claims to be a billing link, read without verifying it: other tokens (the host
 * app's) then never wait on this secret, and billing links never reach the host app's verifier.
 */
export function claimsBillingAudience(token: string): boolean {
  try {
    const { aud } = decodeJwt(token);
    return aud === BILLING_LINK_AUDIENCE || (Array.isArray(aud) && aud.includes(BILLING_LINK_AUDIENCE));
  } catch {
    return false;
  }
}
