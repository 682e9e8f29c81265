import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { toMinorUnits } from '../../src/format.js';
import { idempotency, useApi } from '../app/session.js';
import type { CreatePlanBody } from '../app/types.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { parseBenefits } from './benefits.js';

type Interval = 'month' | 'year';

/** The amounts typed for each interval; blank means "no price for this interval". */
function pricesFrom(form: FormData, currency: string) {
  const prices: Array<{ currency: string; unit_amount: number; interval: Interval }> = [];
  const problems: string[] = [];
  for (const interval of ['month', 'year'] as const) {
    const text = String(form.get(`${interval}_amount`) ?? '').trim();
    if (!text) continue;
    const amount = toMinorUnits(text, /^[a-z]{3}$/i.test(currency) ? currency : 'usd');
    if (amount === null) problems.push(`The ${interval}ly price "${text}" is not an amount such as 29.00`);
    else prices.push({ currency, unit_amount: amount, interval });
  }
  return { prices, problems };
}

/**
 * Creating a plan: the form turns typed amounts into minor units and benefits into their kinds;
 * every other rule (key format, currency code, at least one price, duplicates) is the API's, and its
 * message is shown as it comes.
 */
export function PlanForm({ onDone }: { onDone(): void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: CreatePlanBody) => unwrap(api.POST('/api/plans', { body, ...idempotency() })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['plans'] });
      onDone();
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const currency = String(form.get('currency') ?? '').trim();
    const { prices, problems } = pricesFrom(form, currency);
    setProblem(problems[0] ?? null);
    if (problems.length) return;
    const description = String(form.get('description') ?? '').trim();
    create.mutate({
      name: String(form.get('name') ?? ''),
      key: String(form.get('key') ?? '').trim(),
      ...(description ? { description } : {}),
      trial_days: Number(form.get('trial_days') || 0),
      benefits: parseBenefits(String(form.get('benefits') ?? '')),
      prices,
    });
  }

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="new-plan-title">
      <h2 id="new-plan-title">New plan</h2>
      <div className="grid">
        <label>
          Name
          <input name="name" required />
        </label>
        <div>
          <label>
            Key
            <input name="key" required aria-describedby="key-hint" />
          </label>
          <small id="key-hint">A unique slug, such as pro or team-plus</small>
        </div>
        <label>
          Currency
          <input name="currency" defaultValue="usd" required />
        </label>
        <label>
          Monthly price
          <input name="month_amount" inputMode="decimal" placeholder="29.00" />
        </label>
        <label>
          Yearly price
          <input name="year_amount" inputMode="decimal" placeholder="290.00" />
        </label>
        <label>
          Trial days
          <input name="trial_days" type="number" min={0} defaultValue={0} />
        </label>
      </div>
      <label>
        Description
        <input name="description" />
      </label>
      <div>
        <label>
          Benefits
          <textarea name="benefits" rows={3} aria-describedby="benefits-hint" />
        </label>
        <small id="benefits-hint">One per line: key = value (true, a number, or text)</small>
      </div>
      {problem && (
        <p role="alert" className="alert">
          {problem}
        </p>
      )}
      <ErrorAlert error={create.error} />
      <div className="actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create plan'}
        </button>
      </div>
    </form>
  );
}
