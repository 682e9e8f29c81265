import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatDateTime } from '../../src/format.js';
import { useApi } from '../app/session.js';
import type { WebhookEndpoint } from '../app/types.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { Table } from '../components/Table.js';
import { EndpointFormDialog, SecretDialog, type SecretShown, typesText } from './EndpointDialogs.js';

export function useEndpoints() {
  const api = useApi();
  return useQuery({
    queryKey: ['webhook-endpoints'],
    queryFn: () => unwrap(api.GET('/api/admin/webhook-endpoints')),
  });
}

export function EndpointStatus({ endpoint }: { endpoint: WebhookEndpoint }) {
  if (endpoint.enabled) return <span className="badge active">enabled</span>;
  return (
    <span className="badge cancelled">
      disabled{endpoint.disabled_reason === 'failing' ? ' (failing)' : ''}
    </span>
  );
}

/** The host app's webhook endpoints; each opens on its deliveries and actions. */
export function WebhooksPage() {
  const endpoints = useEndpoints();
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<SecretShown | null>(null);
  return (
    <section aria-labelledby="webhooks-title">
      <div className="page-head">
        <h1 id="webhooks-title">Webhooks</h1>
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Add endpoint
        </button>
      </div>
      <p className="muted">
        Where Recur posts what changed (subscriptions, entitlements, invoices, refunds), signed per Standard
        Webhooks.
      </p>
      <ErrorAlert error={endpoints.error} />
      {endpoints.isPending ? (
        <Loading what="endpoints" />
      ) : endpoints.data?.data.length ? (
        <Table
          caption="Webhook endpoints"
          columns={['URL', 'Event types', 'Status', 'Failing since', 'Description']}
        >
          {endpoints.data.data.map((e) => (
            <tr key={e.id} data-endpoint-id={e.id}>
              <th scope="row">
                <Link to="/webhooks/$id" params={{ id: e.id }}>
                  {e.url}
                </Link>
              </th>
              <td>{typesText(e.event_types)}</td>
              <td>
                <EndpointStatus endpoint={e} />
              </td>
              <td>{e.failing_since ? formatDateTime(e.failing_since) : '—'}</td>
              <td>{e.description || '—'}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <Empty>No endpoint yet: add one to have your app told what changes.</Empty>
      )}
      {adding && (
        <EndpointFormDialog
          onClose={() => setAdding(false)}
          onCreated={(created) => {
            setAdding(false);
            setShown(created);
          }}
        />
      )}
      {shown && <SecretDialog shown={shown} onClose={() => setShown(null)} />}
    </section>
  );
}
