import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { errorText } from '../components/ErrorAlert.js';
import type { SearchHit } from '../customers/overview-types.js';
import { useApi } from './session.js';

type Target = { to: '/subscriptions/$id' | '/customers/$id'; params: { id: string } } | { to: '/events' };

/** Where a hit opens: a subscription's own page, else its customer's (events without one: the log). */
function targetOf(hit: SearchHit): Target {
  if (hit.kind === 'subscription') return { to: '/subscriptions/$id', params: { id: hit.id } };
  if (hit.customer_id) return { to: '/customers/$id', params: { id: hit.customer_id } };
  return { to: '/events' };
}

function labelOf(hit: SearchHit): string {
  const who = hit.customer_name ?? hit.customer_email ?? hit.external_id ?? hit.customer_id ?? '';
  const what = hit.kind === 'customer' ? '' : `${hit.kind.replace('_', ' ')} ${hit.id}`;
  return [who, what].filter(Boolean).join(' · ') || hit.id;
}

/**
 * The header's search (GET /api/admin/search): a Stripe id, an exact email, a user or organisation
 * id, or the start of a name. One hit opens its page; several are listed to choose from.
 */
export function SearchBox() {
  const api = useApi();
  const navigate = useNavigate();
  const [term, setTerm] = useState('');
  const search = useMutation({
    mutationFn: (q: string) => unwrap(api.GET('/api/admin/search', { params: { query: { q } } })),
    onSuccess: (found) => {
      if (found.data.length === 1) {
        close();
        void navigate(targetOf(found.data[0]!));
      }
    },
  });
  const close = () => search.reset();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (term.trim().length >= 2) search.mutate(term.trim());
  };
  const hits = search.data?.data;
  return (
    <search className="global-search">
      <form onSubmit={submit}>
        <label htmlFor="global-search-input" className="visually-hidden">
          Search customers and Stripe ids
        </label>
        <input
          id="global-search-input"
          type="search"
          value={term}
          minLength={2}
          maxLength={254}
          placeholder="Name, email, user or Stripe id"
          onChange={(e) => setTerm(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && close()}
        />
        <button type="submit" disabled={search.isPending}>
          Search
        </button>
      </form>
      <div
        role="status"
        className={hits?.length !== 1 && (hits || search.error) ? 'search-results' : undefined}
      >
        {search.error && <p className="error-text">{errorText(search.error)}</p>}
        {hits && hits.length === 0 && <p>Nothing matches “{search.variables}”.</p>}
        {hits && hits.length > 1 && (
          <ul aria-label="Search results">
            {hits.map((hit) => (
              <li key={`${hit.kind}:${hit.id}`}>
                <Link {...targetOf(hit)} onClick={close}>
                  {labelOf(hit)}
                </Link>{' '}
                <span className="muted">({hit.matched.replace('_', ' ')})</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </search>
  );
}
