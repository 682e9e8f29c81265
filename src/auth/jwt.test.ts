import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createUserTokenVerifier } from './jwt.js';

const secret = 'the-host-apps-secret-0123456789abcdef';

function token(claims: { exp?: boolean; aud?: string | string[]; iss?: string } = {}) {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('user_1').setIssuedAt();
  if (claims.exp !== false) jwt = jwt.setExpirationTime('10m');
  if (claims.aud) jwt = jwt.setAudience(claims.aud);
  if (claims.iss) jwt = jwt.setIssuer(claims.iss);
  return jwt.sign(new TextEncoder().encode(secret));
}

describe('end-user JWTs', () => {
  const open = createUserTokenVerifier({ secret })!;
  const strict = createUserTokenVerifier({ secret, audience: 'my-app', issuer: 'https://auth.example' })!;

  it('accepts a token with an expiry, any audience and issuer when none is configured', async () => {
    expect(await open.verify(await token())).toEqual({ userId: 'user_1' });
    expect(await open.verify(await token({ aud: 'anything', iss: 'anyone' }))).toEqual({ userId: 'user_1' });
  });

  it('refuses a token without exp: it would never stop signing its bearer in', async () => {
    expect(await open.verify(await token({ exp: false }))).toBeNull();
  });

  it("refuses a token meant for billing links (aud recur-billing) on the app's path", async () => {
    expect(await open.verify(await token({ aud: 'recur-billing' }))).toBeNull();
    expect(await open.verify(await token({ aud: ['my-app', 'recur-billing'] }))).toBeNull();
  });

  it('requires the configured audience and issuer', async () => {
    const good = await token({ aud: 'my-app', iss: 'https://auth.example' });
    expect(await strict.verify(good)).toEqual({ userId: 'user_1' });
    expect(await strict.verify(await token({ iss: 'https://auth.example' }))).toBeNull();
    expect(await strict.verify(await token({ aud: 'my-app' }))).toBeNull();
    expect(await strict.verify(await token({ aud: 'other', iss: 'https://auth.example' }))).toBeNull();
    expect(await strict.verify(await token({ aud: 'my-app', iss: 'https://evil.example' }))).toBeNull();
  });
});
