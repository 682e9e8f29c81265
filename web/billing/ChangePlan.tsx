import { useEffect, useId, useRef, useState } from 'react';
import { formatDate, formatMoney } from '../src/format.js';
import type { ChangePreview, Plan, Subscription } from './api.js';
import { IntervalSwitch } from './Pricing.js';
import { usePreviewedChange } from './previewed-change.js';
import { ErrorAlert, Section, useAnnounce } from './ui.js';
import { type Interval, priceFor, priceInWords } from './words.js';

/** A plan picked elsewhere on the page (the pricing table's "Change to …"); `at` tells one pick from the next. */
export interface ChangeTarget {
  planId: string;
  interval: Interval;
  at: number;
}

interface ChangePlanProps {
  subscription: Subscription;
  plans: Plan[];
  target: ChangeTarget | null;
}

export function ChangePlan({ subscription, plans, target }: ChangePlanProps) {
  const [planId, setPlanId] = useState(subscription.plan_id ?? plans[0]?.id ?? '');
  const [interval, setInterval] = useState<Interval>(subscription.interval === 'year' ? 'year' : 'month');
  const select = useRef<HTMLSelectElement>(null);
  const selectId = useId();
  const announce = useAnnounce();

  const { preview, previewChange, change, forget } = usePreviewedChange(
    subscription.id,
    { plan_id: planId, interval },
    (result) => {
      const name = plans.find((p) => p.id === planId)?.name ?? 'the new plan';
      announce(
        result.effective === 'now'
          ? `Your plan is now ${name}.`
          : `Your plan changes to ${name} on ${formatDate(result.effective_at)}.`,
      );
    },
  );

  useEffect(() => {
    if (!target) return;
    setPlanId(target.planId);
    setInterval(target.interval);
    forget();
    select.current?.focus();
    select.current?.scrollIntoView({ block: 'center' });
  }, [target, forget]);
  const chosen = plans.find((p) => p.id === planId);
  const price = chosen && priceFor(chosen, interval, subscription.currency);

  return (
    <Section title="Change plan">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          change.reset();
          previewChange.mutate();
        }}
      >
        <label htmlFor={selectId}>New plan</label>
        <select
          id={selectId}
          ref={select}
          value={planId}
          onChange={(e) => {
            setPlanId(e.target.value);
            forget();
          }}
        >
          {plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
              {p.id === subscription.plan_id ? ' (current)' : ''}
            </option>
          ))}
        </select>
        <IntervalSwitch
          legend="Billing period of the new plan"
          value={interval}
          onChange={(value) => {
            setInterval(value);
            forget();
          }}
        />
        <p className="muted">
          {price ? priceInWords(price, chosen?.per_seat) : 'This plan is not offered for that period.'}
        </p>
        <button type="submit" disabled={!price || previewChange.isPending}>
          {previewChange.isPending ? 'Working out the cost…' : 'Preview change'}
        </button>
      </form>
      <ErrorAlert error={previewChange.error ?? change.error} />
      {preview && (
        <PreviewSummary
          preview={preview}
          title={`Switch to ${chosen?.name ?? ''}`}
          confirmLabel="Confirm change"
          busy={change.isPending}
          onConfirm={() => change.mutate(preview)}
          onBack={forget}
        />
      )}
    </Section>
  );
}

interface PreviewSummaryProps {
  preview: ChangePreview;
  title: string;
  confirmLabel: string;
  busy: boolean;
  onConfirm(): void;
  onBack(): void;
}

/** What a change costs now and at the next renewal, confirmed or taken back. */
export function PreviewSummary({
  preview,
  title,
  confirmLabel,
  busy,
  onConfirm,
  onBack,
}: PreviewSummaryProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const now = preview.effective === 'now';
  return (
    <div className="preview">
      <h3 ref={heading} tabIndex={-1}>
        {title}
      </h3>
      <dl>
        <dt>Applies</dt>
        <dd>{now ? 'Now' : `At the end of the current period, on ${formatDate(preview.effective_at)}`}</dd>
        <dt>Due now</dt>
        <dd>{formatMoney(now ? preview.amount_due_now : 0, preview.currency)}</dd>
        <dt>Next renewal</dt>
        <dd>
          {formatMoney(preview.next_invoice.amount_due, preview.currency)} on{' '}
          {formatDate(preview.next_invoice.period_start)}
        </dd>
      </dl>
      {now && preview.amount_due_now > 0 && <p>Your card on file is charged when you confirm.</p>}
      <div className="actions">
        <button type="button" className="primary" onClick={onConfirm} disabled={busy}>
          {busy ? 'Changing…' : confirmLabel}
        </button>
        <button type="button" onClick={onBack} disabled={busy}>
          Back
        </button>
      </div>
    </div>
  );
}
