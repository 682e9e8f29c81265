import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { useApi } from '../app/session.js';
import type { Invoice } from '../app/types.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { Filters, SelectFilter, TextFilter } from '../components/Filters.js';
import { Pager, useCursorPager } from '../components/Pager.js';
import { InvoiceTable } from './InvoiceTable.js';
import { RefundDialog } from './RefundDialog.js';

const STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;

export function InvoicesPage() {
  const api = useApi();
  const pager = useCursorPager();
  const [status, setStatus] = useState<(typeof STATUSES)[number] | ''>('');
  const [customerId, setCustomerId] = useState('');
  const [refunding, setRefunding] = useState<Invoice | null>(null);
  const query = {
    ...(status ? { status } : {}),
    ...(customerId.trim() ? { customer_id: customerId.trim() } : {}),
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
    limit: 20,
  };
  const list = useQuery({
    queryKey: ['invoices', query],
    queryFn: () => unwrap(api.GET('/api/invoices', { params: { query } })),
  });
  return (
    <section aria-labelledby="invoices-title">
      <h1 id="invoices-title">Invoices</h1>
      <Filters label="Filter invoices">
        <TextFilter
          label="Customer id"
          value={customerId}
          placeholder="cus_…"
          onChange={(v) => {
            setCustomerId(v);
            pager.reset();
          }}
        />
        <SelectFilter
          label="Status"
          value={status}
          options={STATUSES}
          onChange={(v) => {
            setStatus(v);
            pager.reset();
          }}
        />
      </Filters>
      <ErrorAlert error={list.error} />
      {list.isPending ? (
        <Loading what="invoices" />
      ) : list.data?.data.length ? (
        <InvoiceTable invoices={list.data.data} onRefund={setRefunding} />
      ) : (
        <Empty>No invoices match.</Empty>
      )}
      <Pager pager={pager} nextCursor={list.data?.next_cursor} label="Invoice list" />
      {refunding && <RefundDialog invoice={refunding} onClose={() => setRefunding(null)} />}
    </section>
  );
}
