import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { fromMinorUnits, toMinorUnits } from '../../src/format.js';
import { idempotency, useApi } from '../app/session.js';
import type { Plan, Price } from '../app/types.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';
import { benefitsText, keepUsageFields, parseBenefits } from './benefits.js';
import { priceText } from './PlanCard.js';

/** A typed amount the form cannot read is refused before any call, in words. */
class AmountError extends Error {}

function minorUnits(text: string, currency: string): number {
  const amount = toMinorUnits(text, currency);
  if (amount === null) throw new AmountError(`"${text}" is not an amount such as 29.00`);
  return amount;
}

export function EditPlanDialog({ plan, onClose }: { plan: Plan; onClose(): void }) {
  const api = useApi();
  const [name, setName] = useState(plan.name);
  const [description, setDescription] = useState(plan.description ?? '');
  const [trialDays, setTrialDays] = useState(String(plan.trial_days));
  const [benefits, setBenefits] = useState(benefitsText(plan.benefits));
  const save = useConfirmedAction(
    () =>
      unwrap(
        api.PATCH('/api/plans/{id}', {
          params: { path: { id: plan.id } },
          body: {
            name,
            description: description.trim() ? description : null,
            trial_days: Number(trialDays),
            benefits: keepUsageFields(parseBenefits(benefits), plan.benefits),
          },
          ...idempotency(),
        }),
      ),
    { invalidate: [['plans']], onSuccess: onClose },
  );
  return (
    <ConfirmDialog
      title={`Edit ${plan.name}`}
      confirmLabel="Save changes"
      busy={save.busy}
      error={save.error}
      onConfirm={() => save.run(undefined)}
      onClose={onClose}
    >
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <label>
        Trial days
        <input type="number" min={0} value={trialDays} onChange={(e) => setTrialDays(e.target.value)} />
      </label>
      <label>
        Benefits (one per line: key = value)
        <textarea rows={4} value={benefits} onChange={(e) => setBenefits(e.target.value)} />
      </label>
    </ConfirmDialog>
  );
}

export function PriceAmountDialog({ plan, price, onClose }: { plan: Plan; price: Price; onClose(): void }) {
  const api = useApi();
  const [amount, setAmount] = useState(
    price.unit_amount === null ? '' : fromMinorUnits(price.unit_amount, price.currency),
  );
  const change = useConfirmedAction(
    () =>
      unwrap(
        api.PATCH('/api/plans/{id}/prices/{priceId}', {
          params: { path: { id: plan.id, priceId: price.id } },
          body: { unit_amount: minorUnits(amount, price.currency) },
          ...idempotency(),
        }),
      ),
    { invalidate: [['plans']], onSuccess: onClose },
  );
  return (
    <ConfirmDialog
      title={`Change the price ${priceText(price)}`}
      confirmLabel="Change price"
      busy={change.busy}
      error={change.error}
      onConfirm={() => change.run(undefined)}
      onClose={onClose}
    >
      <p>
        Stripe prices cannot change: a new price replaces this one, and existing subscribers keep the old one.
      </p>
      <label>
        New amount ({price.currency.toUpperCase()})
        <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
      </label>
    </ConfirmDialog>
  );
}

export function NewPriceDialog({ plan, onClose }: { plan: Plan; onClose(): void }) {
  const api = useApi();
  const [currency, setCurrency] = useState(plan.prices[0]?.currency ?? 'usd');
  const [amount, setAmount] = useState('');
  const [interval, setInterval] = useState<'month' | 'year'>('month');
  const add = useConfirmedAction(
    () =>
      unwrap(
        api.POST('/api/plans/{id}/prices', {
          params: { path: { id: plan.id } },
          body: { currency, unit_amount: minorUnits(amount, currency), interval },
          ...idempotency(),
        }),
      ),
    { invalidate: [['plans']], onSuccess: onClose },
  );
  return (
    <ConfirmDialog
      title={`Add a price to ${plan.name}`}
      confirmLabel="Add price"
      busy={add.busy}
      error={add.error}
      onConfirm={() => add.run(undefined)}
      onClose={onClose}
    >
      <label>
        Currency
        <input value={currency} onChange={(e) => setCurrency(e.target.value)} />
      </label>
      <label>
        Amount
        <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
      </label>
      <label>
        Billed every
        <select value={interval} onChange={(e) => setInterval(e.target.value as 'month' | 'year')}>
          <option value="month">month</option>
          <option value="year">year</option>
        </select>
      </label>
    </ConfirmDialog>
  );
}
