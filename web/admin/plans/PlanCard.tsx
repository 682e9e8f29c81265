import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatMoney } from '../../src/format.js';
import { idempotency, useApi } from '../app/session.js';
import type { Plan, Price } from '../app/types.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';
import { EditPlanDialog, NewPriceDialog, PriceAmountDialog } from './PlanDialogs.js';

export function priceText(price: Price): string {
  const amount = price.unit_amount === null ? 'tiered' : formatMoney(price.unit_amount, price.currency);
  if (price.interval === null) return `${amount} once`;
  const every = price.interval_count > 1 ? `${price.interval_count} ${price.interval}s` : price.interval;
  return `${amount} / ${every}`;
}

type Editing = { kind: 'details' } | { kind: 'amount'; price: Price } | { kind: 'new-price' } | null;

export function PlanCard({ plan }: { plan: Plan }) {
  const api = useApi();
  const [editing, setEditing] = useState<Editing>(null);
  const archivePlan = useConfirmedAction(
    (p: Plan) => unwrap(api.DELETE('/api/plans/{id}', { params: { path: { id: p.id } }, ...idempotency() })),
    { invalidate: [['plans']] },
  );
  const archivePrice = useConfirmedAction(
    (price: Price) =>
      unwrap(
        api.DELETE('/api/plans/{id}/prices/{priceId}', {
          params: { path: { id: plan.id, priceId: price.id } },
          ...idempotency(),
        }),
      ),
    { invalidate: [['plans']] },
  );
  const prices = plan.prices.filter((p) => p.active);
  const headingId = `plan-${plan.id}`;

  return (
    <li className="card" aria-labelledby={headingId}>
      <div className="card-head">
        <h2 id={headingId}>
          {plan.name} <span className="muted">({plan.key})</span>
        </h2>
        <span className={`badge ${plan.status}`}>{plan.status}</span>
      </div>
      {plan.description && <p>{plan.description}</p>}
      {plan.trial_days > 0 && <p>{plan.trial_days}-day trial</p>}
      <h3>Prices</h3>
      <ul className="rows">
        {prices.map((price) => (
          <li key={price.id}>
            <span>{priceText(price)}</span>
            {plan.status === 'active' && (
              <span className="row-actions">
                <button type="button" onClick={() => setEditing({ kind: 'amount', price })}>
                  Edit price {priceText(price)}
                </button>
                <button type="button" onClick={() => archivePrice.open(price)}>
                  Archive price {priceText(price)}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      <h3>Benefits</h3>
      {plan.benefits.length ? (
        <ul className="benefits">
          {plan.benefits.map((b) => (
            <li key={b.key}>
              {b.key}: {String(b.value)}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">None</p>
      )}
      {plan.status === 'active' && (
        <div className="actions">
          <button type="button" onClick={() => setEditing({ kind: 'details' })}>
            Edit {plan.name}
          </button>
          <button type="button" onClick={() => setEditing({ kind: 'new-price' })}>
            Add price to {plan.name}
          </button>
          <button type="button" className="danger" onClick={() => archivePlan.open(plan)}>
            Archive {plan.name}
          </button>
        </div>
      )}
      {editing?.kind === 'details' && <EditPlanDialog plan={plan} onClose={() => setEditing(null)} />}
      {editing?.kind === 'amount' && (
        <PriceAmountDialog plan={plan} price={editing.price} onClose={() => setEditing(null)} />
      )}
      {editing?.kind === 'new-price' && <NewPriceDialog plan={plan} onClose={() => setEditing(null)} />}
      {archivePlan.target && (
        <ConfirmDialog
          title={`Archive ${plan.name}?`}
          confirmLabel="Archive plan"
          danger
          busy={archivePlan.busy}
          error={archivePlan.error}
          onConfirm={archivePlan.confirm}
          onClose={archivePlan.close}
        >
          <p>
            New customers can no longer choose it; existing subscribers keep it. A plan that never had
            subscribers is deleted instead.
          </p>
        </ConfirmDialog>
      )}
      {archivePrice.target && (
        <ConfirmDialog
          title={`Archive the price ${priceText(archivePrice.target)}?`}
          confirmLabel="Archive price"
          danger
          busy={archivePrice.busy}
          error={archivePrice.error}
          onConfirm={archivePrice.confirm}
          onClose={archivePrice.close}
        >
          <p>Existing subscribers keep paying it; nobody new can choose it.</p>
        </ConfirmDialog>
      )}
    </li>
  );
}
