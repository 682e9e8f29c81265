import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';

/**
 * The example's whole account system: a name typed once becomes a user, whose id and name ride in
 * a signed cookie. A real app has its own sign-in; Recur only ever needs the user's id.
 */
export interface AppUser {
  id: string;
  name: string;
}

const COOKIE = 'example_user';
const MAX_NAME = 80;

export function newUser(rawName: unknown): AppUser | null {
  if (typeof rawName !== 'string') return null;
  const name = rawName.trim();
  // Control characters would end up in Stripe's customer name and in the page.
  if (name.length === 0 || name.length > MAX_NAME || /\p{Cc}/u.test(name)) return null;
  return { id: `user_${randomBytes(8).toString('hex')}`, name };
}

export async function signIn(c: Context, user: AppUser, secret: string): Promise<void> {
  await setSignedCookie(c, COOKIE, JSON.stringify(user), secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
  });
}

export function signOut(c: Context): void {
  deleteCookie(c, COOKIE, { path: '/' });
}

export async function currentUser(c: Context, secret: string): Promise<AppUser | null> {
  const value = await getSignedCookie(c, secret, COOKIE);
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'id' in parsed &&
      'name' in parsed &&
      typeof parsed.id === 'string' &&
      typeof parsed.name === 'string'
    )
      return { id: parsed.id, name: parsed.name };
  } catch {
    // A cookie that is not ours is no session.
  }
  return null;
}
