import { Link, Outlet } from '@tanstack/react-router';
import { SignInPage } from '../signin/SignInPage.js';
import { SearchBox } from './SearchBox.js';
import { useSession } from './session.js';

/** The main navigation: each path with its label, which is also that page's main heading. */
export const NAV = [
  ['/', 'Dashboard'],
  ['/plans', 'Plans'],
  ['/price-migrations', 'Price migrations'],
  ['/subscriptions', 'Subscriptions'],
  ['/customers', 'Customers'],
  ['/invoices', 'Invoices'],
  ['/refunds', 'Refunds'],
  ['/disputes', 'Disputes'],
  ['/events', 'Events'],
  ['/webhooks', 'Webhooks'],
  ['/sync', 'Sync'],
  ['/alerts', 'Alerts'],
  ['/audit', 'Audit trail'],
  ['/settings', 'Settings'],
] as const;

/** Every page sits behind the admin key; without one the sign-in form is the whole app. */
export function Shell() {
  const session = useSession();
  if (!session.signedIn) return <SignInPage />;
  return (
    <div className="shell">
      <a className="skip" href="#content">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Recur admin</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([to, label]) => (
              <li key={to}>
                <Link to={to} activeProps={{ 'aria-current': 'page' }} activeOptions={{ exact: to === '/' }}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <SearchBox />
        <button type="button" onClick={() => session.signOut()}>
          Sign out
        </button>
      </header>
      <main id="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
