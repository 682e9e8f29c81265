import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { unwrap } from '../src/api/client.js';
import { formatDate, formatMoney } from '../src/format.js';
import { api, type Subscription } from './api.js';
import { PreviewSummary } from './ChangePlan.js';
import { usePreviewedChange } from './previewed-change.js';
import { ErrorAlert, Section, useAnnounce } from './ui.js';

const seatsInWords = (n: number) => `${n} ${n === 1 ? 'seat' : 'seats'}`;

/**
 * A per-seat subscription's seats. In `members` mode they follow the organisation's members (the
 * app adds them), so the page shows what the next member costs; in `manual` mode the billing admin
 * sets the number here. Either way the cost is shown before anything is charged.
 */
export function Seats({ subscription }: { subscription: Subscription }) {
  return (
    <Section title="Seats">
      {subscription.seat_mode === 'members' && subscription.organization_id ? (
        <MemberSeats subscription={subscription} organizationId={subscription.organization_id} />
      ) : (
        <ManualSeats subscription={subscription} />
      )}
    </Section>
  );
}

function MemberSeats({
  subscription,
  organizationId,
}: {
  subscription: Subscription;
  organizationId: string;
}) {
  const preview = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/organizations/{id}/seats/preview', {
          params: { path: { id: organizationId } },
          body: { seats: subscription.quantity + 1 },
        }),
      ),
  });
  const shown = preview.data;
  return (
    <>
      <p>
        {seatsInWords(subscription.quantity)} paid for this period. Seats follow your members: a member who
        joins takes a free seat or adds one, and a member who leaves frees theirs until the period ends.
      </p>
      <button type="button" onClick={() => preview.mutate()} disabled={preview.isPending}>
        {preview.isPending ? 'Working out the cost…' : 'What does one more member cost?'}
      </button>
      <ErrorAlert error={preview.error} />
      {shown && (
        <div className="preview">
          <h3>One more member</h3>
          <dl>
            <dt>Seats in use</dt>
            <dd>
              {shown.used_seats} of {seatsInWords(shown.paid_seats)}
            </dd>
            <dt>Due when they join</dt>
            <dd>{formatMoney(shown.amount_due_now, shown.currency)}</dd>
            <dt>Next renewal</dt>
            <dd>
              {formatMoney(shown.next_invoice.amount_due, shown.currency)} on{' '}
              {formatDate(shown.next_invoice.period_start)}
            </dd>
          </dl>
        </div>
      )}
    </>
  );
}

function ManualSeats({ subscription }: { subscription: Subscription }) {
  const [seats, setSeats] = useState(subscription.quantity);
  const inputId = useId();
  const announce = useAnnounce();
  const { preview, previewChange, change, forget } = usePreviewedChange(
    subscription.id,
    { quantity: seats },
    (result) =>
      announce(
        result.effective === 'now'
          ? `You now have ${seatsInWords(seats)}.`
          : `Your seats change to ${seats} on ${formatDate(result.effective_at)}.`,
      ),
  );
  return (
    <>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          change.reset();
          previewChange.mutate();
        }}
      >
        <label htmlFor={inputId}>Number of seats</label>
        <input
          id={inputId}
          type="number"
          min={1}
          max={10000}
          value={seats}
          onChange={(e) => {
            setSeats(Math.max(1, Math.trunc(Number(e.target.value) || 1)));
            forget();
          }}
        />
        <p className="muted">
          More seats are charged now, for the rest of the period; fewer take effect when it ends, without a
          refund.
        </p>
        <button type="submit" disabled={seats === subscription.quantity || previewChange.isPending}>
          {previewChange.isPending ? 'Working out the cost…' : 'Preview seats'}
        </button>
      </form>
      <ErrorAlert error={previewChange.error ?? change.error} />
      {preview && (
        <PreviewSummary
          preview={preview}
          title={`Change to ${seatsInWords(seats)}`}
          confirmLabel="Confirm seats"
          busy={change.isPending}
          onConfirm={() => change.mutate(preview)}
          onBack={forget}
        />
      )}
    </>
  );
}
