import { type FormEvent, useId, useState } from 'react';
import { createApi, unwrap } from '../../src/api/client.js';
import { useSession } from '../app/session.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

/** The key is checked with one admin-only call before it is kept; it is never shown or logged. */
export function SignInPage() {
  const session = useSession();
  const inputId = useId();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const key = String(new FormData(form).get('key') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      await unwrap(createApi(() => key).GET('/api/admin/settings'));
      form.reset();
      session.signIn(key);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="content">
      <h1>Recur admin</h1>
      <form onSubmit={submit} className="card">
        <h2>Sign in</h2>
        {session.notice && <p className="notice">{session.notice}</p>}
        <label htmlFor={inputId}>Admin key</label>
        <input
          id={inputId}
          name="key"
          type="password"
          autoComplete="off"
          placeholder="rk_…"
          required
          pattern="\S+"
        />
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
