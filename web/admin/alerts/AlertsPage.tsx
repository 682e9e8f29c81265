import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../src/api/client.js';
import { formatDateTime } from '../../src/format.js';
import { useApi } from '../app/session.js';
import type { AlertIncident } from '../app/types.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { Table } from '../components/Table.js';
import { AlertRulesCard } from './AlertRulesCard.js';

const CHANNEL_NAMES = { email: 'email', webhook: 'chat webhook' } as const;

/** "email sent, chat webhook pending (the alert webhook answered 503)" for one message kind. */
function delivery(incident: AlertIncident, kind: 'opened' | 'resolved'): string {
  const messages = incident.messages.filter((m) => m.kind === kind);
  if (messages.length === 0) return 'not sent (no channel)';
  return messages
    .map(
      (m) =>
        `${CHANNEL_NAMES[m.channel]} ${m.status}${m.last_error && m.status !== 'sent' ? ` (${m.last_error})` : ''}`,
    )
    .join(', ');
}

/** Incidents the alert rules opened, what was sent about them, and the rules' thresholds. */
export function AlertsPage() {
  const api = useApi();
  const incidents = useQuery({
    queryKey: ['alerts'],
    queryFn: () => unwrap(api.GET('/api/admin/alerts', { params: { query: { recent: 20 } } })),
    refetchInterval: 5_000,
  });
  const data = incidents.data;
  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">Alerts</h1>
      <ErrorAlert error={incidents.error} />
      {incidents.isPending && <Loading what="alerts" />}
      {data && (
        <>
          <p className="muted">
            {data.channels.length
              ? `Sent by ${data.channels.map((c) => CHANNEL_NAMES[c]).join(' and ')} when an incident opens and when it resolves.`
              : 'No channel is configured (SMTP_URL with RECUR_ADMIN_EMAILS, or RECUR_ALERT_WEBHOOK_URL): incidents are only logged and shown here.'}
          </p>
          <h2>Open</h2>
          {data.open.length ? (
            <Table caption="Open incidents" columns={['Alert', 'What', 'Since', 'Sent']}>
              {data.open.map((incident) => (
                <tr key={incident.id}>
                  <th scope="row">{incident.title}</th>
                  <td>{incident.summary}</td>
                  <td>{formatDateTime(incident.opened_at)}</td>
                  <td>{delivery(incident, 'opened')}</td>
                </tr>
              ))}
            </Table>
          ) : (
            <Empty>No open incidents.</Empty>
          )}
          <h2>Recently resolved</h2>
          {data.recent.length ? (
            <Table
              caption="Recently resolved incidents"
              columns={['Alert', 'What', 'Opened', 'Resolved', 'Sent']}
            >
              {data.recent.map((incident) => (
                <tr key={incident.id}>
                  <th scope="row">{incident.title}</th>
                  <td>{incident.summary}</td>
                  <td>{formatDateTime(incident.opened_at)}</td>
                  <td>{formatDateTime(incident.resolved_at)}</td>
                  <td>{delivery(incident, 'resolved')}</td>
                </tr>
              ))}
            </Table>
          ) : (
            <Empty>Nothing resolved yet.</Empty>
          )}
        </>
      )}
      <AlertRulesCard />
    </section>
  );
}
