/** The page's calls to the app's own backend (not Recur: the backend speaks to Recur). */
export interface AppUser {
  id: string;
  name: string;
}

export async function fetchSession(): Promise<AppUser | null> {
  const res = await fetch('/api/session');
  if (!res.ok) throw new Error(`The app answered ${res.status}`);
  return ((await res.json()) as { user: AppUser | null }).user;
}

export async function signUp(name: string): Promise<AppUser> {
  const res = await fetch('/api/signup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  const body = (await res.json()) as { user?: AppUser; error?: string };
  if (!res.ok || !body.user) throw new Error(body.error ?? `The app answered ${res.status}`);
  return body.user;
}

export async function signOut(): Promise<void> {
  await fetch('/api/signout', { method: 'POST' });
}

export type ReportsAccess =
  | { state: 'granted'; reports: number }
  | { state: 'refused'; message: string }
  | { state: 'unknown'; message: string };

/** Calls the gated reports API the way any client of the app would, and says what it answered. */
export async function checkReportsAccess(): Promise<ReportsAccess> {
  const res = await fetch('/api/reports');
  if (res.status === 200) {
    const body = (await res.json()) as { reports: unknown[] };
    return { state: 'granted', reports: body.reports.length };
  }
  if (res.status === 402) {
    const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    return { state: 'refused', message: body.error?.message ?? 'Your plan does not include the reports API' };
  }
  return { state: 'unknown', message: `The app answered ${res.status}` };
}
