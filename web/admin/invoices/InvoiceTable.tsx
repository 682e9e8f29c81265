import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { downloadInvoicePdf } from '../../src/api/invoice-pdf.js';
import { formatDate, formatMoney } from '../../src/format.js';
import { useApi } from '../app/session.js';
import type { Invoice } from '../app/types.js';
import { CustomerLink } from '../components/CustomerLink.js';
import { type Column, DataTable, type Sort } from '../components/DataTable.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import type { RowAction } from '../components/RowMenu.js';

export type InvoiceSortKey = 'created' | 'total';

const columns: Column<Invoice, InvoiceSortKey>[] = [
  { id: 'invoice', header: 'Invoice', cell: (i) => i.number ?? <code>{i.id}</code> },
  {
    id: 'subscription',
    header: 'Subscription',
    cell: (i) =>
      i.subscription_id ? (
        <Link to="/subscriptions/$id" params={{ id: i.subscription_id }}>
          <code>{i.subscription_id}</code>
        </Link>
      ) : (
        '—'
      ),
  },
  { id: 'customer', header: 'Customer', cell: (i) => <CustomerLink id={i.customer_id} /> },
  { id: 'status', header: 'Status', cell: (i) => <span className={`badge ${i.status}`}>{i.status}</span> },
  { id: 'total', header: 'Total', sortKey: 'total', cell: (i) => formatMoney(i.total, i.currency) },
  { id: 'tax', header: 'Tax', cell: (i) => formatMoney(i.tax, i.currency) },
  { id: 'paid', header: 'Paid', cell: (i) => formatMoney(i.amount_paid, i.currency) },
  { id: 'created', header: 'Created', sortKey: 'created', cell: (i) => formatDate(i.created_at) },
];

/**
 * Invoices linked to their subscription and customer, with a PDF download each (not for a draft);
 * `onRefund` adds a refund action to paid ones; `sort`/`onSort` make the Total and Created heads sort.
 */
export function InvoiceTable({
  invoices,
  onRefund,
  sort,
  onSort,
}: {
  invoices: Invoice[];
  onRefund?(invoice: Invoice): void;
  sort?: Sort<InvoiceSortKey>;
  onSort?(sort: Sort<InvoiceSortKey>): void;
}) {
  const api = useApi();
  const download = useMutation({ mutationFn: (id: string) => downloadInvoicePdf(api, id) });
  const actions = (invoice: Invoice): RowAction[] => [
    ...(invoice.status === 'draft'
      ? []
      : [{ label: 'Download PDF', onSelect: () => download.mutate(invoice.id) }]),
    ...(onRefund && invoice.status === 'paid' && invoice.amount_paid > 0
      ? [{ label: 'Refund', onSelect: () => onRefund(invoice) }]
      : []),
  ];
  return (
    <>
      <ErrorAlert error={download.error} />
      <DataTable
        caption="Invoices"
        rows={invoices}
        rowId={(i) => i.id}
        rowName={(i) => i.number ?? i.id}
        columns={columns}
        {...(sort && onSort ? { sort, onSort } : {})}
        actions={actions}
      />
    </>
  );
}
