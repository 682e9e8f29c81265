import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatDate, formatMoney } from '../../src/format.js';
import { idempotency, useApi } from '../app/session.js';
import type { Subscription } from '../app/types.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';

/**
 * Pick a price of another plan, see what Stripe would charge now and at renewal, then confirm. The
 * preview's proration date goes with the change, so the charge is the one that was shown.
 */
export function ChangePlanDialog({ subscription, onClose }: { subscription: Subscription; onClose(): void }) {
  const api = useApi();
  const [priceId, setPriceId] = useState('');
  const plans = useQuery({
    queryKey: ['plans', 'active'],
    queryFn: () => unwrap(api.GET('/api/plans', { params: { query: { status: 'active' } } })),
  });
  const choices = (plans.data?.data ?? []).flatMap((plan) =>
    plan.prices
      .filter(
        (p) =>
          p.active && p.currency === subscription.currency && p.stripe_price_id !== subscription.price_id,
      )
      .map((price) => ({ plan, price })),
  );
  const choice = choices.find((c) => c.price.id === priceId);
  const preview = useQuery({
    queryKey: ['preview-change', subscription.id, priceId],
    enabled: Boolean(choice),
    queryFn: () =>
      unwrap(
        api.POST('/api/subscriptions/{id}/preview-change', {
          params: { path: { id: subscription.id } },
          body: { plan_id: choice!.plan.id, price_id: choice!.price.stripe_price_id },
        }),
      ),
  });
  const change = useConfirmedAction(
    () =>
      unwrap(
        api.POST('/api/subscriptions/{id}/change', {
          params: { path: { id: subscription.id } },
          body: {
            plan_id: choice!.plan.id,
            price_id: choice!.price.stripe_price_id,
            ...(preview.data ? { proration_date: preview.data.proration_date } : {}),
          },
          ...idempotency(),
        }),
      ),
    {
      invalidate: [['subscriptions'], ['subscription', subscription.id], ['events'], ['invoices']],
      onSuccess: onClose,
    },
  );
  const p = preview.data;
  return (
    <ConfirmDialog
      title="Change plan"
      confirmLabel="Change plan"
      busy={change.busy || preview.isFetching}
      error={change.error}
      onConfirm={() => (choice ? change.run(undefined) : undefined)}
      onClose={onClose}
    >
      <label>
        New plan and price
        <select value={priceId} onChange={(e) => setPriceId(e.target.value)}>
          <option value="">Choose…</option>
          {choices.map(({ plan, price }) => (
            <option key={price.id} value={price.id}>
              {plan.name}: {formatMoney(price.unit_amount ?? 0, price.currency)} / {price.interval}
            </option>
          ))}
        </select>
      </label>
      {plans.isPending && <Loading what="plans" />}
      <ErrorAlert error={preview.error} />
      {p && (
        <div aria-live="polite" className="preview">
          <p>
            {p.kind === 'downgrade' ? 'Downgrade' : p.kind === 'upgrade' ? 'Upgrade' : 'Change'}, effective{' '}
            {p.effective === 'now' ? 'now' : `at the period end (${formatDate(p.effective_at)})`}.
          </p>
          <p>
            Charged now: <strong>{formatMoney(p.amount_due_now, p.currency)}</strong>. Next invoice:{' '}
            {formatMoney(p.next_invoice.amount_due, p.currency)} on {formatDate(p.next_invoice.period_start)}.
          </p>
        </div>
      )}
    </ConfirmDialog>
  );
}
