import { Link } from '@tanstack/react-router';
import { unwrap } from '../../src/api/client.js';
import { formatDate, formatMoney } from '../../src/format.js';
import { idempotency, useApi } from '../app/session.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Empty } from '../components/ErrorAlert.js';
import { Table } from '../components/Table.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';
import type { CustomerOverview, OverviewSubscription } from './overview-types.js';

import { overviewKey } from './overview-types.js';

const ENDED = new Set(['canceled', 'incomplete_expired']);

/** The customer's subscriptions, each linked to its page, with cancel and resume in place. */
export function Subscriptions({ overview: o }: { overview: CustomerOverview }) {
  const api = useApi();
  const invalidate = [overviewKey(o.customer.id), ['subscriptions']];
  const cancel = useConfirmedAction(
    (s: OverviewSubscription) =>
      unwrap(
        api.POST('/api/subscriptions/{id}/cancel', {
          params: { path: { id: s.id } },
          body: { at_period_end: true },
          ...idempotency(),
        }),
      ),
    { invalidate },
  );
  const resume = useConfirmedAction(
    (s: OverviewSubscription) =>
      unwrap(
        api.POST('/api/subscriptions/{id}/resume', { params: { path: { id: s.id } }, ...idempotency() }),
      ),
    { invalidate },
  );
  return (
    <section aria-labelledby="customer-subs-title" className="card">
      <h2 id="customer-subs-title">Subscriptions</h2>
      {o.subscriptions.length ? (
        <Table
          caption="Subscriptions"
          columns={['Subscription', 'Plan', 'Status', 'Price', 'Renews', 'Actions']}
        >
          {o.subscriptions.map((s) => {
            const live = !ENDED.has(s.stripe_status ?? '') && s.status !== 'cancelled';
            return (
              <tr key={s.id}>
                <th scope="row">
                  <Link to="/subscriptions/$id" params={{ id: s.id }}>
                    {s.id}
                  </Link>
                </th>
                <td>{s.plan_name ?? s.plan_id ?? '—'}</td>
                <td>
                  <span className={`badge ${s.status}`}>{s.status}</span>
                  {s.cancel_at_period_end && ` (cancels ${formatDate(s.cancel_at ?? s.current_period_end)})`}
                </td>
                <td>
                  {s.unit_amount === null
                    ? '—'
                    : `${formatMoney(s.unit_amount * s.quantity, s.currency)} / ${s.interval ?? 'once'}`}
                </td>
                <td>{live ? formatDate(s.next_billing_date) : '—'}</td>
                <td className="row-actions">
                  {live && !s.cancel_at_period_end && (
                    <button type="button" onClick={() => cancel.open(s)}>
                      Cancel at period end<span className="visually-hidden"> {s.id}</span>
                    </button>
                  )}
                  {live && s.cancel_at_period_end && (
                    <button type="button" onClick={() => resume.open(s)}>
                      Resume<span className="visually-hidden"> {s.id}</span>
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </Table>
      ) : (
        <Empty>No subscriptions.</Empty>
      )}
      {cancel.target && (
        <ConfirmDialog
          title="Cancel at the end of the period?"
          confirmLabel="Cancel at period end"
          danger
          busy={cancel.busy}
          error={cancel.error}
          onConfirm={cancel.confirm}
          onClose={cancel.close}
        >
          <p>
            {`The customer keeps access until ${formatDate(cancel.target.current_period_end)}; it can be resumed until then.`}
          </p>
        </ConfirmDialog>
      )}
      {resume.target && (
        <ConfirmDialog
          title="Resume this subscription?"
          confirmLabel="Resume"
          busy={resume.busy}
          error={resume.error}
          onConfirm={resume.confirm}
          onClose={resume.close}
        >
          <p>The pending cancellation is undone; billing continues as before.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

export function Payments({ payments }: { payments: CustomerOverview['payments'] }) {
  return (
    <section aria-labelledby="customer-payments-title" className="card">
      <h2 id="customer-payments-title">Payments</h2>
      {payments.length ? (
        <Table caption="Payments" columns={['Payment', 'Amount', 'Refunded', 'Status', 'Card', 'Date']}>
          {payments.map((p) => (
            <tr key={p.id}>
              <th scope="row">
                <code>{p.id}</code>
              </th>
              <td>{formatMoney(p.amount, p.currency)}</td>
              <td>{p.amount_refunded ? formatMoney(p.amount_refunded, p.currency) : '—'}</td>
              <td>
                <span className={`badge ${p.status}`}>{p.status}</span>
                {p.failure_code && ` (${p.failure_code})`}
              </td>
              <td>{p.card ?? '—'}</td>
              <td>{formatDate(p.created_at)}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <Empty>No payments yet.</Empty>
      )}
    </section>
  );
}

/** The customer's refunds, each with the invoice it returned by that invoice's number when listed. */
export function Refunds({
  refunds,
  invoices,
}: {
  refunds: CustomerOverview['refunds'];
  invoices: CustomerOverview['invoices'];
}) {
  const invoiceName = (id: string) => invoices.find((i) => i.id === id)?.number ?? id;
  return (
    <section aria-labelledby="customer-refunds-title" className="card">
      <h2 id="customer-refunds-title">Refunds</h2>
      {refunds.length ? (
        <Table
          caption="Refunds"
          columns={['Refund', 'Amount', 'Payment', 'Invoice', 'Status', 'Reason', 'Date']}
        >
          {refunds.map((r) => (
            <tr key={r.id}>
              <th scope="row">
                <code>{r.id}</code>
              </th>
              <td>{formatMoney(r.amount, r.currency)}</td>
              <td>
                <code>{r.charge_id ?? r.payment_intent_id ?? '—'}</code>
              </td>
              <td>{r.invoice_id ? invoiceName(r.invoice_id) : '—'}</td>
              <td>{r.status ?? '—'}</td>
              <td>{r.reason ?? '—'}</td>
              <td>{formatDate(r.created_at)}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <Empty>No refunds.</Empty>
      )}
    </section>
  );
}

export function Disputes({ disputes }: { disputes: CustomerOverview['disputes'] }) {
  return (
    <section aria-labelledby="customer-disputes-title" className="card">
      <h2 id="customer-disputes-title">Disputes</h2>
      {disputes.length ? (
        <Table
          caption="Disputes"
          columns={['Dispute', 'Amount', 'Reason', 'Status', 'Evidence due', 'Opened']}
        >
          {disputes.map((d) => (
            <tr key={d.id}>
              <th scope="row">
                <code>{d.id}</code>
              </th>
              <td>{formatMoney(d.amount, d.currency)}</td>
              <td>{d.reason}</td>
              <td>
                <span className={`badge ${d.status}`}>{d.status}</span>
                {d.access_frozen && ' (access suspended)'}
              </td>
              <td>{formatDate(d.evidence_due_by)}</td>
              <td>{formatDate(d.created_at)}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <Empty>No disputes.</Empty>
      )}
    </section>
  );
}
