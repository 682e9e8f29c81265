import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { idempotency, useApi } from '../app/session.js';
import type { WebhookEndpoint, WebhookEventType } from '../app/types.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ModalDialog } from '../components/ModalDialog.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';

/** The catalogue's types, in its order; the compiler fails here when the API's list changes. */
export const EVENT_TYPES = [
  'subscription.created',
  'subscription.updated',
  'subscription.canceled',
  'subscription.renewed',
  'entitlements.updated',
  'usage.threshold_reached',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.payment_action_required',
  'customer.updated',
  'refund.created',
  'checkout.completed',
  'purchase.completed',
  'purchase.refunded',
  'trial.will_end',
  'dispute.access_suspended',
  'dispute.access_restored',
  'dispute.subscription_canceled',
  'early_fraud_warning.refunded_and_canceled',
  'ping',
] as const satisfies readonly WebhookEventType[];
const everyType: Exclude<WebhookEventType, (typeof EVENT_TYPES)[number]> extends never ? true : never = true;
void everyType;

export function typesText(types: readonly string[] | null): string {
  return types === null ? 'All types' : types.join(', ');
}

/** The response carrying a secret: shown once, so the dialog says so and offers a copy. */
export interface SecretShown {
  title: string;
  endpoint: WebhookEndpoint;
  secret: string;
}

/** Adds an endpoint, or changes one (`endpoint` given); a new one's secret goes to `onCreated`. */
export function EndpointFormDialog(props: {
  endpoint?: WebhookEndpoint;
  onClose(): void;
  onCreated(shown: SecretShown): void;
}) {
  const api = useApi();
  const existing = props.endpoint;
  const [url, setUrl] = useState(existing?.url ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [allTypes, setAllTypes] = useState(!existing?.event_types);
  const [types, setTypes] = useState<WebhookEventType[]>(
    (existing?.event_types ?? []).filter((t): t is WebhookEventType =>
      (EVENT_TYPES as readonly string[]).includes(t),
    ),
  );
  const body = () => ({
    url: url.trim(),
    description,
    event_types: allTypes ? null : EVENT_TYPES.filter((t) => types.includes(t)),
  });
  const save = useConfirmedAction(
    async () => {
      if (existing) {
        await unwrap(
          api.PATCH('/api/admin/webhook-endpoints/{id}', {
            params: { path: { id: existing.id } },
            body: body(),
            ...idempotency(),
          }),
        );
        return null;
      }
      return unwrap(api.POST('/api/admin/webhook-endpoints', { body: body(), ...idempotency() }));
    },
    {
      invalidate: [['webhook-endpoints']],
      onSuccess: (created) => {
        if (created) props.onCreated({ title: 'Endpoint added', ...created });
        else props.onClose();
      },
    },
  );
  const toggle = (type: WebhookEventType, on: boolean) =>
    setTypes((current) => (on ? [...current, type] : current.filter((t) => t !== type)));
  return (
    <ConfirmDialog
      title={existing ? 'Edit endpoint' : 'Add endpoint'}
      confirmLabel={existing ? 'Save changes' : 'Add endpoint'}
      busy={save.busy}
      error={save.error}
      onConfirm={() => save.run(undefined)}
      onClose={props.onClose}
    >
      <label>
        URL
        <input
          type="url"
          value={url}
          placeholder="https://app.example.com/webhooks/recur"
          onChange={(e) => setUrl(e.target.value)}
        />
      </label>
      <label>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <fieldset className="event-types">
        <legend>Event types</legend>
        <label className="check">
          <input type="checkbox" checked={allTypes} onChange={(e) => setAllTypes(e.target.checked)} />
          All types, also those added later
        </label>
        {!allTypes &&
          EVENT_TYPES.map((type) => (
            <label key={type} className="check">
              <input
                type="checkbox"
                checked={types.includes(type)}
                onChange={(e) => toggle(type, e.target.checked)}
              />
              <code>{type}</code>
            </label>
          ))}
      </fieldset>
    </ConfirmDialog>
  );
}

/** A secret in full, this once, with a copy button; closing it is the last time it can be seen. */
export function SecretDialog({ shown, onClose }: { shown: SecretShown; onClose(): void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(shown.secret).then(
      () => setCopied('Copied'),
      () => setCopied('Copying was refused: select the secret and copy it'),
    );
  return (
    <ModalDialog
      title={shown.title}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={copy}>
            Copy secret
          </button>
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        </>
      }
    >
      <p>
        The signing secret of <code>{shown.endpoint.url}</code>. It is shown this once: store it in your app’s
        configuration now.
      </p>
      <p>
        <code className="secret">{shown.secret}</code>
      </p>
      <p role="status">{copied ?? ''}</p>
    </ModalDialog>
  );
}

/** A new secret; the old one keeps signing for the hours chosen, so the app can switch without a gap. */
export function RotateDialog(props: {
  endpoint: WebhookEndpoint;
  onClose(): void;
  onRotated(shown: SecretShown): void;
}) {
  const api = useApi();
  const [hours, setHours] = useState('24');
  const rotate = useConfirmedAction(
    () =>
      unwrap(
        api.POST('/api/admin/webhook-endpoints/{id}/rotate-secret', {
          params: { path: { id: props.endpoint.id } },
          body: { overlap_hours: Number(hours) },
          ...idempotency(),
        }),
      ),
    {
      invalidate: [['webhook-endpoints']],
      onSuccess: (rotated) => props.onRotated({ title: 'Secret rotated', ...rotated }),
    },
  );
  return (
    <ConfirmDialog
      title="Rotate the signing secret?"
      confirmLabel="Rotate secret"
      busy={rotate.busy}
      error={rotate.error}
      onConfirm={() => rotate.run(undefined)}
      onClose={props.onClose}
    >
      <p>A new secret signs every delivery from now on. The old one keeps signing beside it for:</p>
      <label>
        Overlap in hours (0 to 168)
        <input type="number" min={0} max={168} value={hours} onChange={(e) => setHours(e.target.value)} />
      </label>
    </ConfirmDialog>
  );
}
