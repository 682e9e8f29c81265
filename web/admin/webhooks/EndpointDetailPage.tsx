import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatDateTime } from '../../src/format.js';
import { idempotency, useApi } from '../app/session.js';
import type { WebhookEndpoint } from '../app/types.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { SummaryList } from '../components/SummaryList.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';
import { DeliveriesSection } from './DeliveriesSection.js';
import {
  EndpointFormDialog,
  RotateDialog,
  SecretDialog,
  type SecretShown,
  typesText,
} from './EndpointDialogs.js';
import { EndpointStatus } from './WebhooksPage.js';

/** One endpoint: what it receives, its actions, and what was delivered to it. */
export function EndpointDetailPage({ id }: { id: string }) {
  const api = useApi();
  const endpoint = useQuery({
    queryKey: ['webhook-endpoints', id],
    queryFn: () => unwrap(api.GET('/api/admin/webhook-endpoints/{id}', { params: { path: { id } } })),
  });
  return (
    <section aria-labelledby="endpoint-title">
      <p>
        <Link to="/webhooks">← All endpoints</Link>
      </p>
      <h1 id="endpoint-title">Webhook endpoint</h1>
      <ErrorAlert error={endpoint.error} />
      {endpoint.isPending && <Loading what="the endpoint" />}
      {endpoint.data && (
        <>
          <Summary endpoint={endpoint.data} />
          <Actions endpoint={endpoint.data} />
          <DeliveriesSection endpointId={id} />
        </>
      )}
    </section>
  );
}

function Summary({ endpoint: e }: { endpoint: WebhookEndpoint }) {
  const rows: Array<[string, React.ReactNode]> = [
    ['URL', <code key="url">{e.url}</code>],
    ['Description', e.description || '—'],
    ['Event types', typesText(e.event_types)],
    ['Status', <EndpointStatus key="status" endpoint={e} />],
    ['Failing since', e.failing_since ? formatDateTime(e.failing_since) : '—'],
    [
      'Old secret signs until',
      e.previous_secret_expires_at ? formatDateTime(e.previous_secret_expires_at) : '—',
    ],
    ['Added', formatDateTime(e.created_at)],
  ];
  return <SummaryList rows={rows} />;
}

type Open = 'edit' | 'rotate' | null;

function Actions({ endpoint: e }: { endpoint: WebhookEndpoint }) {
  const api = useApi();
  const navigate = useNavigate();
  const [open, setOpen] = useState<Open>(null);
  const [shown, setShown] = useState<SecretShown | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const path = { params: { path: { id: e.id } } };
  const invalidate = [['webhook-endpoints'], ['webhook-deliveries', e.id]];
  const setEnabled = useConfirmedAction(
    (enabled: boolean) =>
      unwrap(
        api.PATCH('/api/admin/webhook-endpoints/{id}', { ...path, body: { enabled }, ...idempotency() }),
      ),
    { invalidate },
  );
  const test = useConfirmedAction(
    () => unwrap(api.POST('/api/admin/webhook-endpoints/{id}/test', { ...path, ...idempotency() })),
    { invalidate, onSuccess: () => setSent('Test message sent: it appears in the deliveries below.') },
  );
  const remove = useConfirmedAction(
    () => unwrap(api.DELETE('/api/admin/webhook-endpoints/{id}', { ...path, ...idempotency() })),
    { invalidate: [['webhook-endpoints']], onSuccess: () => navigate({ to: '/webhooks' }) },
  );
  return (
    <>
      <section className="actions card" aria-label="Endpoint actions">
        <button type="button" onClick={() => test.run(undefined)} disabled={test.busy}>
          {test.busy ? 'Sending…' : 'Send test'}
        </button>
        <button type="button" onClick={() => setOpen('edit')}>
          Edit
        </button>
        <button type="button" onClick={() => setEnabled.open(!e.enabled)}>
          {e.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" onClick={() => setOpen('rotate')}>
          Rotate secret
        </button>
        <button type="button" className="danger" onClick={() => remove.open(undefined)}>
          Delete
        </button>
      </section>
      <p role="status" className="muted">
        {sent ?? ''}
      </p>
      <ErrorAlert error={test.error} />
      {open === 'edit' && (
        <EndpointFormDialog endpoint={e} onClose={() => setOpen(null)} onCreated={() => setOpen(null)} />
      )}
      {open === 'rotate' && (
        <RotateDialog
          endpoint={e}
          onClose={() => setOpen(null)}
          onRotated={(rotated) => {
            setOpen(null);
            setShown(rotated);
          }}
        />
      )}
      {shown && <SecretDialog shown={shown} onClose={() => setShown(null)} />}
      {setEnabled.target !== null && (
        <ConfirmDialog
          title={setEnabled.target ? 'Enable this endpoint?' : 'Disable this endpoint?'}
          confirmLabel={setEnabled.target ? 'Enable' : 'Disable'}
          danger={!setEnabled.target}
          busy={setEnabled.busy}
          error={setEnabled.error}
          onConfirm={setEnabled.confirm}
          onClose={setEnabled.close}
        >
          <p>
            {setEnabled.target
              ? 'Its waiting messages go out now, and its failure record starts again.'
              : 'Its messages wait, undelivered, until it is enabled again (a test message still goes).'}
          </p>
        </ConfirmDialog>
      )}
      {remove.target !== null && (
        <ConfirmDialog
          title="Delete this endpoint?"
          confirmLabel="Delete endpoint"
          danger
          busy={remove.busy}
          error={remove.error}
          onConfirm={remove.confirm}
          onClose={remove.close}
        >
          <p>
            <code>{e.url}</code> receives nothing more, and its deliveries and their attempts are deleted with
            it.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
