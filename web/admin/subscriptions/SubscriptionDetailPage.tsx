import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatDate, formatMoney } from '../../src/format.js';
import { idempotency, useApi } from '../app/session.js';
import type { Invoice, Subscription } from '../app/types.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { Pager, useCursorPager } from '../components/Pager.js';
import { SummaryList } from '../components/SummaryList.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';
import { InvoiceTable } from '../invoices/InvoiceTable.js';
import { RefundDialog } from '../invoices/RefundDialog.js';
import { ChangePlanDialog } from './ChangePlanDialog.js';
import { EventTimeline } from './EventTimeline.js';

export function SubscriptionDetailPage({ id }: { id: string }) {
  const api = useApi();
  const subscription = useQuery({
    queryKey: ['subscription', id],
    queryFn: () => unwrap(api.GET('/api/subscriptions/{id}', { params: { path: { id } } })),
  });
  return (
    <section aria-labelledby="subscription-title">
      <p>
        <Link to="/subscriptions">← All subscriptions</Link>
      </p>
      <h1 id="subscription-title">Subscription {id}</h1>
      <ErrorAlert error={subscription.error} />
      {subscription.isPending && <Loading what="the subscription" />}
      {subscription.data && (
        <>
          <Summary subscription={subscription.data} />
          <Actions subscription={subscription.data} />
          <SubscriptionInvoices subscriptionId={id} />
          <EventTimeline objectId={id} />
        </>
      )}
    </section>
  );
}

function Summary({ subscription: s }: { subscription: Subscription }) {
  const rows: Array<[string, string]> = [
    [
      'Status',
      `${s.status} (${s.stripe_status === null ? 'external provider' : `Stripe: ${s.stripe_status}`})`,
    ],
    ['Customer', s.customer_id],
    ['Plan', s.plan_name ?? '—'],
    [
      'Price',
      s.unit_amount === null ? '—' : `${formatMoney(s.unit_amount, s.currency)} / ${s.interval ?? '—'}`,
    ],
    ['Quantity', String(s.quantity)],
    ['Current period', `${formatDate(s.current_period_start)} – ${formatDate(s.current_period_end)}`],
    ['Next billing', formatDate(s.next_billing_date)],
    [
      'Cancels',
      s.cancel_at_period_end
        ? `at period end (${formatDate(s.cancel_at)})`
        : s.canceled_at
          ? `cancelled ${formatDate(s.canceled_at)}`
          : 'no',
    ],
  ];
  if (s.scheduled_change)
    rows.push([
      'Scheduled change',
      `to ${s.scheduled_change.plan_id ?? s.scheduled_change.price_id} on ${formatDate(s.scheduled_change.effective_at)}`,
    ]);
  return <SummaryList rows={rows} />;
}

type Open = 'change' | null;

function Actions({ subscription: s }: { subscription: Subscription }) {
  const api = useApi();
  const [open, setOpen] = useState<Open>(null);
  const invalidate = [['subscriptions'], ['subscription', s.id], ['events']];
  const path = { params: { path: { id: s.id } } };
  const cancel = useConfirmedAction(
    (atPeriodEnd: boolean) =>
      unwrap(
        api.POST('/api/subscriptions/{id}/cancel', {
          ...path,
          body: { at_period_end: atPeriodEnd },
          ...idempotency(),
        }),
      ),
    { invalidate },
  );
  const resume = useConfirmedAction(
    () => unwrap(api.POST('/api/subscriptions/{id}/resume', { ...path, ...idempotency() })),
    { invalidate },
  );
  const live = s.status !== 'cancelled';
  return (
    <section className="actions card" aria-label="Subscription actions">
      {live && (
        <button type="button" onClick={() => setOpen('change')}>
          Change plan
        </button>
      )}
      {live && !s.cancel_at_period_end && (
        <>
          <button type="button" onClick={() => cancel.open(true)}>
            Cancel at period end
          </button>
          <button type="button" className="danger" onClick={() => cancel.open(false)}>
            Cancel now
          </button>
        </>
      )}
      {live && s.cancel_at_period_end && (
        <button type="button" onClick={() => resume.open(undefined)}>
          Resume
        </button>
      )}
      {open === 'change' && <ChangePlanDialog subscription={s} onClose={() => setOpen(null)} />}
      {cancel.target !== null && (
        <ConfirmDialog
          title={cancel.target ? 'Cancel at the end of the period?' : 'Cancel now?'}
          confirmLabel={cancel.target ? 'Cancel at period end' : 'Cancel now'}
          danger
          busy={cancel.busy}
          error={cancel.error}
          onConfirm={cancel.confirm}
          onClose={cancel.close}
        >
          <p>
            {cancel.target
              ? `The customer keeps access until ${formatDate(s.current_period_end)}; it can be resumed until then.`
              : 'The subscription ends immediately, with no credit for unused time.'}
          </p>
        </ConfirmDialog>
      )}
      {resume.target !== null && (
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

function SubscriptionInvoices({ subscriptionId }: { subscriptionId: string }) {
  const api = useApi();
  const [refunding, setRefunding] = useState<Invoice | null>(null);
  const pager = useCursorPager();
  const query = {
    subscription_id: subscriptionId,
    limit: 10,
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
  };
  const invoices = useQuery({
    queryKey: ['invoices', query],
    queryFn: () => unwrap(api.GET('/api/invoices', { params: { query } })),
  });
  return (
    <section aria-labelledby="sub-invoices-title" className="card">
      <h2 id="sub-invoices-title">Invoices</h2>
      <ErrorAlert error={invoices.error} />
      {invoices.isPending ? (
        <Loading what="invoices" />
      ) : invoices.data?.data.length ? (
        <InvoiceTable invoices={invoices.data.data} onRefund={setRefunding} />
      ) : (
        <Empty>No invoices yet.</Empty>
      )}
      <Pager pager={pager} nextCursor={invoices.data?.next_cursor} label="Invoices of this subscription" />
      {refunding && <RefundDialog invoice={refunding} onClose={() => setRefunding(null)} />}
    </section>
  );
}
