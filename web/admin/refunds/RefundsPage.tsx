import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatDate, formatMoney } from '../../src/format.js';
import { useApi } from '../app/session.js';
import type { Refund } from '../app/types.js';
import { CustomerLink, customerPath } from '../components/CustomerLink.js';
import { type Column, DataTable } from '../components/DataTable.js';
import { DateRangeFilter, dateRangeQuery, Filters, TextFilter } from '../components/Filters.js';
import { ListBody } from '../components/ListBody.js';
import { useListState } from '../components/useListState.js';

type SortKey = 'created' | 'amount';

const columns: Column<Refund, SortKey>[] = [
  { id: 'id', header: 'Refund', cell: (r) => <code>{r.id}</code> },
  { id: 'amount', header: 'Amount', sortKey: 'amount', cell: (r) => formatMoney(r.amount, r.currency) },
  {
    id: 'status',
    header: 'Status',
    cell: (r) => (r.status ? <span className={`badge ${r.status}`}>{r.status}</span> : '—'),
  },
  { id: 'reason', header: 'Reason', cell: (r) => r.reason?.replaceAll('_', ' ') ?? '—' },
  {
    id: 'customer',
    header: 'Customer',
    cell: (r) => (r.customer_id ? <CustomerLink id={r.customer_id} /> : '—'),
  },
  { id: 'charge', header: 'Charge', cell: (r) => <code>{r.charge_id ?? '—'}</code> },
  { id: 'invoice', header: 'Invoice', cell: (r) => (r.invoice_id ? <code>{r.invoice_id}</code> : '—') },
  { id: 'created', header: 'Created', sortKey: 'created', cell: (r) => formatDate(r.created_at) },
];

/** Refunds, newest first (or by amount), filtered by charge, payment, invoice and creation date. */
export function RefundsPage() {
  const api = useApi();
  const list = useListState<SortKey>('created');
  const [chargeId, setChargeId] = useState('');
  const [paymentIntentId, setPaymentIntentId] = useState('');
  const [invoiceId, setInvoiceId] = useState('');
  const [created, setCreated] = useState({ from: '', to: '' });
  const query = {
    ...(chargeId.trim() ? { charge_id: chargeId.trim() } : {}),
    ...(paymentIntentId.trim() ? { payment_intent_id: paymentIntentId.trim() } : {}),
    ...(invoiceId.trim() ? { invoice_id: invoiceId.trim() } : {}),
    ...dateRangeQuery(created),
    ...list.query,
    limit: 20,
  };
  const page = useQuery({
    queryKey: ['refunds', query],
    queryFn: () => unwrap(api.GET('/api/refunds', { params: { query } })),
  });
  return (
    <section aria-labelledby="refunds-title">
      <h1 id="refunds-title">Refunds</h1>
      <Filters label="Filter refunds">
        <TextFilter
          label="Charge id"
          value={chargeId}
          placeholder="ch_…"
          onChange={list.filter(setChargeId)}
        />
        <TextFilter
          label="Payment id"
          value={paymentIntentId}
          placeholder="pi_…"
          onChange={list.filter(setPaymentIntentId)}
        />
        <TextFilter
          label="Invoice id"
          value={invoiceId}
          placeholder="in_…"
          onChange={list.filter(setInvoiceId)}
        />
        <DateRangeFilter
          label="Created"
          from={created.from}
          to={created.to}
          onChange={list.filter(setCreated)}
        />
      </Filters>
      <ListBody what="refunds" list={page} pager={list.pager} pagerLabel="Refund list">
        {(rows) => (
          <DataTable
            caption="Refunds"
            rows={rows}
            rowId={(r) => r.id}
            rowName={(r) => r.id}
            columns={columns}
            sort={list.sort}
            onSort={list.setSort}
            actions={(r) => [
              ...(r.charge_id
                ? [
                    {
                      label: 'Refunds of this charge',
                      onSelect: () => list.filter(setChargeId)(r.charge_id ?? ''),
                    },
                  ]
                : []),
              ...(r.customer_id
                ? [
                    {
                      label: 'Open customer',
                      onSelect: () => window.location.assign(customerPath(r.customer_id ?? '')),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </ListBody>
    </section>
  );
}
