import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatDate } from '../../src/format.js';
import { idempotency, useApi } from '../app/session.js';
import type { Invoice } from '../app/types.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { SummaryList } from '../components/SummaryList.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';
import { InvoiceTable } from '../invoices/InvoiceTable.js';
import { RefundDialog } from '../invoices/RefundDialog.js';
import { AccountCreditDialog, GrantCreditsDialog } from './CreditDialogs.js';
import { CustomerEvents, CustomerHistory, Entitlements } from './CustomerActivity.js';
import { Disputes, Payments, Refunds, Subscriptions } from './CustomerMoney.js';
import type { CustomerOverview } from './overview-types.js';

import { overviewKey } from './overview-types.js';

/** One customer whole (GET /api/admin/customers/:id/overview), with the actions an admin may take. */
export function CustomerPage({ id }: { id: string }) {
  const api = useApi();
  const overview = useQuery({
    queryKey: overviewKey(id),
    queryFn: () => unwrap(api.GET('/api/admin/customers/{id}/overview', { params: { path: { id } } })),
  });
  const c = overview.data?.customer;
  return (
    <section aria-labelledby="customer-title">
      <p>
        <Link to="/customers">← All customers</Link>
      </p>
      <h1 id="customer-title">{c ? (c.name ?? c.email ?? c.id) : `Customer ${id}`}</h1>
      <ErrorAlert error={overview.error} />
      {overview.isPending && <Loading what="the customer" />}
      {overview.data && <CustomerWhole overview={overview.data} />}
    </section>
  );
}

function CustomerWhole({ overview: o }: { overview: CustomerOverview }) {
  const [refunding, setRefunding] = useState<Invoice | null>(null);
  const queryClient = useQueryClient();
  const c = o.customer;
  const closeRefund = () => {
    setRefunding(null);
    void queryClient.invalidateQueries({ queryKey: overviewKey(c.id) });
  };
  return (
    <>
      <SummaryList
        rows={[
          ['Name', c.name ?? '—'],
          ['Email', c.email ?? '—'],
          ['Customer', <code key="id">{c.id}</code>],
          ['User', c.external_id ?? '—'],
          [
            'Organisation',
            c.organization_id ? `${o.organization_name ?? ''} (${c.organization_id})`.trim() : '—',
          ],
          ['Currency', c.currency?.toUpperCase() ?? '—'],
          ['Created', formatDate(c.created_at)],
          [
            'State',
            c.erased_at ? `erased ${formatDate(c.erased_at)}` : c.deleted ? 'deleted in Stripe' : 'live',
          ],
        ]}
      />
      <CustomerActions overview={o} />
      <Subscriptions overview={o} />
      <CustomerHistory history={o.history} />
      <section aria-labelledby="customer-invoices-title" className="card">
        <h2 id="customer-invoices-title">Invoices</h2>
        {o.invoices.length ? (
          <InvoiceTable invoices={o.invoices} onRefund={setRefunding} />
        ) : (
          <Empty>No invoices yet.</Empty>
        )}
        {refunding && <RefundDialog invoice={refunding} onClose={closeRefund} />}
      </section>
      <Payments payments={o.payments} />
      <Refunds refunds={o.refunds} invoices={o.invoices} />
      <Disputes disputes={o.disputes} />
      <Entitlements overview={o} />
      <CustomerEvents events={o.events} />
    </>
  );
}

/** The billing page as the customer's user sees it, and erasure; subscription actions are per row. */
function CustomerActions({ overview: o }: { overview: CustomerOverview }) {
  const api = useApi();
  const c = o.customer;
  const [link, setLink] = useState<string | null>(null);
  const [crediting, setCrediting] = useState<'money' | 'credits' | null>(null);
  const [credited, setCredited] = useState<string | null>(null);
  const payer = (c.external_id || c.organization_id) && !c.deleted;
  const creditDone = (said: string) => {
    setCrediting(null);
    setCredited(said);
  };
  const billingLink = useConfirmedAction(
    (userId: string) => unwrap(api.POST('/api/billing/links', { body: { user_id: userId } })),
    { invalidate: [], onSuccess: (made) => setLink(made.url) },
  );
  const erase = useConfirmedAction(
    () => unwrap(api.POST('/api/customers/{id}/erase', { params: { path: { id: c.id } }, ...idempotency() })),
    { invalidate: [overviewKey(c.id), ['customers']] },
  );
  if (c.erased_at) return null;
  return (
    <section className="actions card" aria-label="Customer actions">
      {c.external_id && !c.deleted && (
        <button type="button" disabled={billingLink.busy} onClick={() => billingLink.run(c.external_id!)}>
          Make a billing page link
        </button>
      )}
      {link && (
        <a href={link} target="_blank" rel="noreferrer">
          Open the billing page as {c.external_id}
        </a>
      )}
      <ErrorAlert error={billingLink.error} />
      {payer && (
        <>
          <button type="button" onClick={() => setCrediting('money')}>
            Add account credit
          </button>
          <button type="button" onClick={() => setCrediting('credits')}>
            Grant credits
          </button>
        </>
      )}
      {credited && <output className="notice">{credited}</output>}
      {crediting === 'money' && (
        <AccountCreditDialog overview={o} onDone={creditDone} onClose={() => setCrediting(null)} />
      )}
      {crediting === 'credits' && (
        <GrantCreditsDialog overview={o} onDone={creditDone} onClose={() => setCrediting(null)} />
      )}
      <button type="button" className="danger" onClick={() => erase.open(undefined)}>
        Erase personal data
      </button>
      {erase.target !== null && (
        <ConfirmDialog
          title={`Erase the personal data of ${c.email ?? c.id}?`}
          confirmLabel="Erase personal data"
          danger
          busy={erase.busy}
          error={erase.error}
          onConfirm={erase.confirm}
          onClose={erase.close}
        >
          <p>
            The customer is deleted in Stripe, which keeps its invoices. Recur forgets the name, the email and
            the user it belonged to, and removes them from its stored events. This cannot be undone; a
            customer with a live subscription is refused until it is cancelled.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
