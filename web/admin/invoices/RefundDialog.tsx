import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatMoney, fromMinorUnits, toMinorUnits } from '../../src/format.js';
import { idempotency, useApi } from '../app/session.js';
import type { Invoice } from '../app/types.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';

const REASONS = ['requested_by_customer', 'duplicate', 'fraudulent'] as const;

/** Refunds a paid invoice in full or in part; Stripe's refusal (e.g. already refunded) is shown as said. */
export function RefundDialog({ invoice, onClose }: { invoice: Invoice; onClose(): void }) {
  const api = useApi();
  const [amount, setAmount] = useState(fromMinorUnits(invoice.amount_paid, invoice.currency));
  const [reason, setReason] = useState<(typeof REASONS)[number]>('requested_by_customer');
  const refund = useConfirmedAction(
    () => {
      const minor = toMinorUnits(amount, invoice.currency);
      if (minor === null) throw new Error(`"${amount}" is not an amount such as 29.00`);
      return unwrap(
        api.POST('/stripe/refunds', {
          body: { invoice_id: invoice.id, amount: minor, reason },
          ...idempotency(),
        }),
      );
    },
    { invalidate: [['invoices'], ['subscriptions'], ['events']], onSuccess: onClose },
  );
  return (
    <ConfirmDialog
      title={`Refund invoice ${invoice.number ?? invoice.id}?`}
      confirmLabel="Refund"
      danger
      busy={refund.busy}
      error={refund.error}
      onConfirm={() => refund.run(undefined)}
      onClose={onClose}
    >
      <p>
        Paid: {formatMoney(invoice.amount_paid, invoice.currency)}. The money goes back to the customer's
        card.
      </p>
      <label>
        Amount to refund ({invoice.currency.toUpperCase()})
        <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
      </label>
      <label>
        Reason
        <select value={reason} onChange={(e) => setReason(e.target.value as (typeof REASONS)[number])}>
          {REASONS.map((r) => (
            <option key={r} value={r}>
              {r.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
      </label>
    </ConfirmDialog>
  );
}
