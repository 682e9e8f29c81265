import { type FormEvent, useEffect, useState } from 'react';
import { Account } from './Account.js';
import { type AppUser, fetchSession, signOut, signUp } from './backend.js';

export function App() {
  const [user, setUser] = useState<AppUser | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetchSession().then(setUser, (e: Error) => setError(e.message));
  }, []);

  return (
    <main>
      <header>
        <h1>Acme Reports</h1>
        {user && (
          <p>
            Signed in as {user.name}{' '}
            <button type="button" className="link" onClick={() => signOut().then(() => setUser(null))}>
              Sign out
            </button>
          </p>
        )}
      </header>
      {error && <p role="alert">{error}</p>}
      {user === null && <SignUp onSignedUp={setUser} />}
      {user && <Account user={user} />}
    </main>
  );
}

function SignUp({ onSignedUp }: { onSignedUp: (user: AppUser) => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    signUp(name).then(onSignedUp, (e: Error) => setError(e.message));
  };
  return (
    <section aria-labelledby="signup-heading">
      <h2 id="signup-heading">Create your account</h2>
      <form onSubmit={submit}>
        <label>
          Your name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required />
        </label>
        <button type="submit">Sign up</button>
      </form>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
