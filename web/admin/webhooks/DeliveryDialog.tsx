import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../src/api/client.js';
import { formatDateTime } from '../../src/format.js';
import { useApi } from '../app/session.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { ModalDialog } from '../components/ModalDialog.js';
import { Table } from '../components/Table.js';

/** The body as sent, indented for reading (it is signed as the compact text the API holds). */
function readable(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** One delivery: every attempt with its answer, and the message body. */
export function DeliveryDialog({ id, onClose }: { id: string; onClose(): void }) {
  const api = useApi();
  const delivery = useQuery({
    queryKey: ['webhook-delivery', id],
    queryFn: () => unwrap(api.GET('/api/admin/webhook-deliveries/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data?.status === 'pending' ? 2_000 : false),
  });
  const d = delivery.data;
  return (
    <ModalDialog
      title={<>Delivery {d ? <code>{d.type}</code> : id}</>}
      wide
      onClose={onClose}
      actions={
        <button type="button" className="primary" onClick={onClose}>
          Close
        </button>
      }
    >
      <ErrorAlert error={delivery.error} />
      {delivery.isPending && <Loading what="the delivery" />}
      {d && (
        <>
          <p>
            <span className={`badge ${d.status}`}>{d.status}</span> · message <code>{d.message_id}</code> ·
            subject <code>{d.subject}</code> · sequence {d.sequence}
            {d.delivered_at ? ` · delivered ${formatDateTime(d.delivered_at)}` : ''}
            {d.status === 'pending' ? ` · next attempt ${formatDateTime(d.next_attempt_at)}` : ''}
          </p>
          {d.attempts_log.length ? (
            <Table
              caption="Attempts"
              showCaption
              columns={['Time', 'Status code', 'Duration', 'Answer', 'Error']}
            >
              {d.attempts_log.map((a) => (
                <tr key={a.attempted_at}>
                  <th scope="row">{formatDateTime(a.attempted_at)}</th>
                  <td>
                    <span className={`badge ${a.succeeded ? 'succeeded' : 'failed'}`}>
                      {a.status_code ?? 'no answer'}
                    </span>
                  </td>
                  <td>{a.duration_ms} ms</td>
                  <td>
                    <code>{a.response_body || '—'}</code>
                  </td>
                  <td className="error-text">{a.error ?? ''}</td>
                </tr>
              ))}
            </Table>
          ) : (
            <Empty>No attempt yet.</Empty>
          )}
          <h3>Body</h3>
          <pre className="body">{readable(d.body)}</pre>
        </>
      )}
    </ModalDialog>
  );
}
