import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatMoney, toMinorUnits } from '../../src/format.js';
import { idempotency, useApi } from '../app/session.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';
import { type CustomerOverview, overviewKey } from './overview-types.js';

/** Who a customer bills: its user or its organisation, as the credit endpoints name a payer. */
function payerOf(o: CustomerOverview): { user_id: string } | { organization_id: string } | null {
  const c = o.customer;
  if (c.external_id) return { user_id: c.external_id };
  if (c.organization_id) return { organization_id: c.organization_id };
  return null;
}

interface CreditDialogProps {
  overview: CustomerOverview;
  /** After success, with what was done in words. */
  onDone(said: string): void;
  onClose(): void;
}

/**
 * Money credited to the customer's Stripe balance, with a reason (POST /api/admin/account-credit):
 * Stripe takes it off the next invoices. The answer says the balance Stripe now holds.
 */
export function AccountCreditDialog({ overview: o, onDone, onClose }: CreditDialogProps) {
  const api = useApi();
  const payer = payerOf(o);
  // Stripe bills a customer in one currency from its first invoice on: the credit must be in it.
  const billed = o.customer.currency ?? o.invoices[0]?.currency ?? o.subscriptions[0]?.currency ?? null;
  const [currency, setCurrency] = useState(billed ?? 'usd');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const credit = useConfirmedAction(
    () => {
      if (!payer) throw new Error('This customer belongs to no user or organisation');
      const minor = toMinorUnits(amount, currency);
      if (minor === null || minor === 0) throw new Error(`"${amount}" is not an amount such as 5.00`);
      return unwrap(
        api.POST('/api/admin/account-credit', {
          body: { ...payer, amount: minor, currency, reason },
          ...idempotency(),
        }),
      );
    },
    {
      invalidate: [overviewKey(o.customer.id)],
      onSuccess: (made) =>
        onDone(
          `Credited ${formatMoney(made.amount, made.currency)}: Stripe now holds ${formatMoney(made.account_credit.amount, made.account_credit.currency)} of credit for the next invoices.`,
        ),
    },
  );
  return (
    <ConfirmDialog
      title="Add account credit"
      confirmLabel="Add credit"
      busy={credit.busy}
      error={credit.error}
      onConfirm={() => credit.run(undefined)}
      onClose={onClose}
    >
      <p>
        Stripe keeps the credit on the customer's balance and takes it off the next invoices it finalizes.
      </p>
      {billed ? (
        <p>Currency: {billed.toUpperCase()}</p>
      ) : (
        <label>
          Currency
          <input value={currency} maxLength={3} onChange={(e) => setCurrency(e.target.value.toLowerCase())} />
        </label>
      )}
      <label>
        Amount ({currency.toUpperCase()})
        <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
      </label>
      <label>
        Reason (audited, shown in Stripe)
        <input value={reason} maxLength={350} onChange={(e) => setReason(e.target.value)} />
      </label>
    </ConfirmDialog>
  );
}

/** Credits of a usage feature granted by hand, with a reason and an optional expiry (POST /api/admin/credits). */
export function GrantCreditsDialog({ overview: o, onDone, onClose }: CreditDialogProps) {
  const api = useApi();
  const payer = payerOf(o);
  const [feature, setFeature] = useState(o.credits?.balances[0]?.feature ?? '');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState('');
  const grant = useConfirmedAction(
    () => {
      if (!payer) throw new Error('This customer belongs to no user or organisation');
      const credits = Number(amount);
      if (!Number.isInteger(credits) || credits <= 0)
        throw new Error(`"${amount}" is not a whole number of credits`);
      return unwrap(
        api.POST('/api/admin/credits', {
          body: {
            ...payer,
            feature: feature.trim(),
            amount: credits,
            reason,
            ...(expires ? { expires_at: new Date(`${expires}T00:00:00Z`).toISOString() } : {}),
          },
          ...idempotency(),
        }),
      );
    },
    {
      invalidate: [overviewKey(o.customer.id)],
      onSuccess: (made) =>
        onDone(`Granted ${made.amount} ${made.feature}: the balance is now ${made.balance}.`),
    },
  );
  return (
    <ConfirmDialog
      title="Grant credits"
      confirmLabel="Grant"
      busy={grant.busy}
      error={grant.error}
      onConfirm={() => grant.run(undefined)}
      onClose={onClose}
    >
      <label>
        Feature
        <input value={feature} onChange={(e) => setFeature(e.target.value)} />
      </label>
      <label>
        Credits
        <input inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
      </label>
      <label>
        Reason (audited)
        <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </label>
      <label>
        Expires on (UTC, optional)
        <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </label>
    </ConfirmDialog>
  );
}
