import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatDateTime } from '../../src/format.js';
import { idempotency, useApi } from '../app/session.js';
import type { WebhookDelivery } from '../app/types.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { Filters, SelectFilter } from '../components/Filters.js';
import { Pager, useCursorPager } from '../components/Pager.js';
import { Table } from '../components/Table.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';
import { DeliveryDialog } from './DeliveryDialog.js';

const STATUSES = ['pending', 'succeeded', 'failed'] as const;
type Status = (typeof STATUSES)[number];

/** A day ago, as a `datetime-local` value in UTC (the console shows times in UTC). */
const dayAgo = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 16);

/** An endpoint's deliveries, newest first, followed while some are pending; each opens on its attempts. */
export function DeliveriesSection({ endpointId }: { endpointId: string }) {
  const api = useApi();
  const pager = useCursorPager();
  const [status, setStatus] = useState<Status | ''>('');
  const [opened, setOpened] = useState<string | null>(null);
  const [since, setSince] = useState(dayAgo);
  const [resent, setResent] = useState<string | null>(null);
  const query = {
    ...(status ? { status } : {}),
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
    limit: 25,
  };
  const path = { params: { path: { id: endpointId }, query } };
  const list = useQuery({
    queryKey: ['webhook-deliveries', endpointId, query],
    queryFn: () => unwrap(api.GET('/api/admin/webhook-endpoints/{id}/deliveries', path)),
    // A delivery moves from pending to succeeded within moments; follow it while any is pending.
    refetchInterval: (q) => (q.state.data?.data.some((d) => d.status === 'pending') ? 2_000 : 15_000),
  });
  const invalidate = [['webhook-deliveries', endpointId], ['webhook-delivery']];
  const resendOne = useConfirmedAction(
    (delivery: WebhookDelivery) =>
      unwrap(
        api.POST('/api/admin/webhook-deliveries/{id}/resend', {
          params: { path: { id: delivery.id } },
          ...idempotency(),
        }),
      ),
    { invalidate },
  );
  const resendFailed = useConfirmedAction(
    () => {
      const at = new Date(`${since}Z`);
      if (Number.isNaN(at.getTime())) throw new Error('Give a date and time to resend from');
      return unwrap(
        api.POST('/api/admin/webhook-endpoints/{id}/resend-failed', {
          params: { path: { id: endpointId } },
          body: { since: at.toISOString() },
          ...idempotency(),
        }),
      );
    },
    {
      invalidate,
      onSuccess: ({ resent: count }) =>
        setResent(`${count} failed ${count === 1 ? 'delivery goes' : 'deliveries go'} out again.`),
    },
  );

  return (
    <section aria-labelledby="deliveries-title">
      <div className="page-head">
        <h2 id="deliveries-title">Deliveries</h2>
        <button type="button" onClick={() => resendFailed.open(undefined)}>
          Resend failed since…
        </button>
      </div>
      <p role="status" className="muted">
        {resent ?? ''}
      </p>
      <Filters label="Filter deliveries">
        <SelectFilter
          label="Status"
          value={status}
          options={STATUSES}
          onChange={(value) => {
            setStatus(value);
            pager.reset();
          }}
        />
      </Filters>
      <ErrorAlert error={list.error} />
      {list.isPending ? (
        <Loading what="deliveries" />
      ) : list.data?.data.length ? (
        <Table caption="Deliveries" columns={['Type', 'Status', 'Answer', 'Attempts', 'Created', 'Actions']}>
          {list.data.data.map((d) => (
            <tr key={d.id} data-delivery-id={d.id}>
              <th scope="row">
                <code>{d.type}</code>
              </th>
              <td>
                <span className={`badge ${d.status}`}>{d.status}</span>
              </td>
              <td>{d.last_status_code ?? '—'}</td>
              <td>{d.attempts}</td>
              <td>{formatDateTime(d.created_at)}</td>
              <td className="row-actions">
                <button type="button" onClick={() => setOpened(d.id)}>
                  Details
                  <span className="visually-hidden">
                    {' '}
                    of {d.type} ({d.id})
                  </span>
                </button>
                <button type="button" onClick={() => resendOne.open(d)}>
                  Resend
                  <span className="visually-hidden">
                    {' '}
                    {d.type} ({d.id})
                  </span>
                </button>
              </td>
            </tr>
          ))}
        </Table>
      ) : (
        <Empty>Nothing delivered to this endpoint yet: send a test.</Empty>
      )}
      <Pager pager={pager} nextCursor={list.data?.next_cursor} label="Delivery list" />
      {opened && <DeliveryDialog id={opened} onClose={() => setOpened(null)} />}
      {resendOne.target && (
        <ConfirmDialog
          title={`Resend ${resendOne.target.type}?`}
          confirmLabel="Resend"
          busy={resendOne.busy}
          error={resendOne.error}
          onConfirm={resendOne.confirm}
          onClose={resendOne.close}
        >
          <p>
            The same message (same <code>webhook-id</code>) goes to the endpoint again now
            {resendOne.target.status === 'succeeded' ? ', although it was delivered' : ''}.
          </p>
        </ConfirmDialog>
      )}
      {resendFailed.target !== null && (
        <ConfirmDialog
          title="Resend failed deliveries?"
          confirmLabel="Resend failed"
          busy={resendFailed.busy}
          error={resendFailed.error}
          onConfirm={resendFailed.confirm}
          onClose={resendFailed.close}
        >
          <p>Every failed delivery to this endpoint created since this time (UTC) goes out again now.</p>
          <label>
            Since (UTC)
            <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
          </label>
        </ConfirmDialog>
      )}
    </section>
  );
}
