import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { type Api, createApi } from '../../src/api/client.js';

const STORAGE_KEY = 'recur.admin.key';

/** The admin key lives in sessionStorage only: closing the tab signs out, and nothing else holds it. */
function storedKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

interface Session {
  api: Api;
  signedIn: boolean;
  /** Why the last session ended, shown on the sign-in page (e.g. the key was revoked). */
  notice: string | null;
  signIn(key: string): void;
  signOut(notice?: string): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children, onSignOut }: { children: ReactNode; onSignOut(): void }) {
  const [key, setKey] = useState<string | null>(storedKey);
  const [notice, setNotice] = useState<string | null>(null);
  // The client reads the key on every call, so one client serves every session.
  const api = useMemo(() => createApi(storedKey), []);

  const signIn = useCallback((value: string) => {
    sessionStorage.setItem(STORAGE_KEY, value);
    setNotice(null);
    setKey(value);
  }, []);

  const signOut = useCallback(
    (message?: string) => {
      sessionStorage.removeItem(STORAGE_KEY);
      setNotice(message ?? null);
      setKey(null);
      onSignOut();
    },
    [onSignOut],
  );

  const value = useMemo(
    () => ({ api, signedIn: key !== null, notice, signIn, signOut }),
    [api, key, notice, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export function useApi(): Api {
  return useSession().api;
}

/** A fresh key per user action: a retried click replays the first answer instead of acting twice. */
export function idempotency(): { headers: { 'Idempotency-Key': string } } {
  return { headers: { 'Idempotency-Key': crypto.randomUUID() } };
}
