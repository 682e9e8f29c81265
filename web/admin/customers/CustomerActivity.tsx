import { formatDateTime, formatMoney } from '../../src/format.js';
import { useAllPlans } from '../app/catalog.js';
import { Empty } from '../components/ErrorAlert.js';
import { Table } from '../components/Table.js';
import type { CustomerOverview, OverviewEvent } from './overview-types.js';

/**
 * What happened to the customer, newest first: its subscriptions' MRR movements and the audited
 * writes made through Recur, to the customer or to its subscriptions, side by side.
 */
export function CustomerHistory({ history }: { history: CustomerOverview['history'] }) {
  const plans = useAllPlans().data?.data;
  // A plan by its name, as the rest of the console shows it (its id until the catalog has loaded).
  const planName = (id: string) => plans?.find((p) => p.id === id)?.name ?? id;
  return (
    <section aria-labelledby="customer-history-title" className="card">
      <h2 id="customer-history-title">History</h2>
      <p className="muted">MRR movements of the subscriptions, and the changes made through Recur.</p>
      {history.length ? (
        <ol className="timeline">
          {history.map((h) => (
            <li key={h.id}>
              <time dateTime={h.at}>{formatDateTime(h.at)}</time>{' '}
              <strong>{describeChange(h, planName)}</strong>
              {h.subscription_id && (
                <>
                  {' '}
                  <code>{h.subscription_id}</code>
                </>
              )}
            </li>
          ))}
        </ol>
      ) : (
        <Empty>No changes recorded.</Empty>
      )}
    </section>
  );
}

function describeChange(h: CustomerOverview['history'][number], planName: (id: string) => string): string {
  if (h.source === 'mrr' && h.currency && h.mrr_delta !== null && h.mrr_after !== null) {
    const sign = h.mrr_delta >= 0 ? '+' : '−';
    const plan = h.plan_id ? ` on ${planName(h.plan_id)}` : '';
    return `MRR ${h.kind}${plan}: ${sign}${formatMoney(Math.abs(h.mrr_delta), h.currency)}, now ${formatMoney(h.mrr_after, h.currency)}`;
  }
  const by =
    h.actor_type === 'system' ? 'by Recur' : h.actor_type === 'user' ? 'by the user' : 'by an API key';
  return `${CHANGES[h.kind] ?? h.kind} ${by}${h.outcome === 'failed' ? ' (failed)' : ''}`;
}

/** The audited writes to a customer or its subscriptions, in words; any other shows its action. */
const CHANGES: Record<string, string> = {
  'customer.create': 'Customer created',
  'customer.erase': 'Personal data erased',
  'credits.account_credit': 'Account credit added',
  'credits.grant': 'Credits granted',
  'subscription.create': 'Subscription started',
  'subscription.change': 'Plan changed',
  'subscription.change_scheduled': 'Plan change scheduled for the renewal',
  'subscription.cancel': 'Cancelled now',
  'subscription.cancel_at_period_end': 'Set to cancel at the period’s end',
  'subscription.cancel_at': 'Set to cancel on a date',
  'subscription.resume': 'Cancellation undone',
  'subscription.resume_paused': 'Resumed from pause',
  'subscription.reactivate': 'Reactivated',
  'subscription.seats_add': 'Seats added',
  'subscription.seats_schedule': 'Seat change scheduled',
  'subscription.access_suspend': 'Access suspended (dispute)',
  'subscription.access_restore': 'Access restored',
  'subscription.price_migration_undone': 'Price migration undone',
};

/** What the customer's user or organisation may do now, its usage and its credits. */
export function Entitlements({ overview: o }: { overview: CustomerOverview }) {
  const e = o.entitlements;
  const benefits = Object.entries(e?.benefits ?? {});
  const usage = Object.entries(e?.usage ?? {});
  const credits = o.credits?.balances ?? [];
  const account = o.credits?.account_credit;
  return (
    <section aria-labelledby="customer-entitlements-title" className="card">
      <h2 id="customer-entitlements-title">Entitlements and usage</h2>
      {benefits.length ? (
        <Table caption="Benefits" columns={['Benefit', 'Value']}>
          {benefits.map(([key, value]) => (
            <tr key={key}>
              <th scope="row">{key}</th>
              <td>{String(value)}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <Empty>No benefits now.</Empty>
      )}
      {usage.length > 0 && (
        <Table
          caption="Usage"
          showCaption
          columns={['Feature', 'Used', 'Limit', 'Balance', 'Credits', 'Resets']}
        >
          {usage.map(([feature, u]) => (
            <tr key={feature}>
              <th scope="row">{feature}</th>
              <td>{u.used}</td>
              <td>{u.limit}</td>
              <td>{u.balance}</td>
              <td>{u.credits}</td>
              <td>{u.resets_at ? formatDateTime(u.resets_at) : 'never'}</td>
            </tr>
          ))}
        </Table>
      )}
      {account && (
        <p className="account-credit">
          {account.amount > 0
            ? `Account credit in Stripe: ${formatMoney(account.amount, account.currency)}, taken off the next invoices`
            : `Owed on the Stripe balance: ${formatMoney(-account.amount, account.currency)}, added to the next invoice`}
        </p>
      )}
      {credits.length > 0 && (
        <Table caption="Credit balances" showCaption columns={['Feature', 'Balance', 'Owed', 'Next expiry']}>
          {credits.map((b) => (
            <tr key={b.feature}>
              <th scope="row">{b.feature}</th>
              <td>{b.balance}</td>
              <td>{b.owed}</td>
              <td>{b.next_expiry ? formatDateTime(b.next_expiry) : 'none'}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

/** Stripe's events about the customer and its objects, each payload (redacted by the API) on request. */
export function CustomerEvents({ events }: { events: OverviewEvent[] }) {
  return (
    <section aria-labelledby="customer-events-title" className="card">
      <h2 id="customer-events-title">Event timeline</h2>
      {events.length ? (
        <ol className="timeline">
          {events.map((e) => (
            <li key={e.id}>
              <time dateTime={e.occurred_at}>{formatDateTime(e.occurred_at)}</time> <code>{e.type}</code>{' '}
              <span className={`badge ${e.status}`}>{e.status}</span>
              <details>
                <summary>
                  Payload<span className="visually-hidden"> of {e.stripe_id}</span>
                </summary>
                <pre className="payload">{JSON.stringify(e.payload, null, 2)}</pre>
              </details>
            </li>
          ))}
        </ol>
      ) : (
        <Empty>No events about this customer yet.</Empty>
      )}
    </section>
  );
}
