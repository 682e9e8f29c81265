import { useMutation } from '@tanstack/react-query';
import { downloadInvoicePdf } from '../src/api/invoice-pdf.js';
import { formatDate, formatMoney } from '../src/format.js';
import { api, type Invoice, useInvoices } from './api.js';
import { useOrg } from './org-context.js';
import { ErrorAlert, Loading, Section } from './ui.js';

const STATUS_WORDS: Record<string, string> = {
  paid: 'Paid',
  open: 'Due',
  draft: 'Draft',
  void: 'Void',
  uncollectible: 'Uncollectible',
};

export function Invoices() {
  const invoices = useInvoices(useOrg());
  const download = useMutation({ mutationFn: (invoice: Invoice) => downloadInvoicePdf(api, invoice.id) });
  const rows = invoices.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <Section title="Invoices">
      <ErrorAlert error={invoices.error ?? download.error} />
      {invoices.isPending && <Loading what="invoices" />}
      {invoices.isSuccess && rows.length === 0 && <p>No invoices yet.</p>}
      {rows.length > 0 && (
        <table className="invoices">
          <caption className="visually-hidden">Your invoices, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Number</th>
              <th scope="col">Amount</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Download</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((invoice) => (
              <tr key={invoice.id}>
                <td data-label="Date">{formatDate(invoice.created_at)}</td>
                <td data-label="Number">{invoice.number ?? '—'}</td>
                <td data-label="Amount">
                  {formatMoney(invoice.total, invoice.currency)}
                  {invoice.tax !== 0 && (
                    <div className="muted">incl. {formatMoney(invoice.tax, invoice.currency)} tax</div>
                  )}
                </td>
                <td data-label="Status">{STATUS_WORDS[invoice.status] ?? invoice.status}</td>
                <td>
                  {invoice.status !== 'draft' && (
                    <button
                      type="button"
                      onClick={() => download.mutate(invoice)}
                      disabled={download.isPending && download.variables?.id === invoice.id}
                    >
                      Download PDF
                      <span className="visually-hidden"> of invoice {invoice.number ?? invoice.id}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {invoices.hasNextPage && (
        <button type="button" onClick={() => invoices.fetchNextPage()} disabled={invoices.isFetchingNextPage}>
          {invoices.isFetchingNextPage ? 'Loading…' : 'Show older invoices'}
        </button>
      )}
    </Section>
  );
}
