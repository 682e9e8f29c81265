import { useMutation } from '@tanstack/react-query';
import { downloadInvoicePdf } from '../../src/api/invoice-pdf.js';
import { formatDate, formatMoney } from '../../src/format.js';
import { useApi } from '../app/session.js';
import type { Invoice } from '../app/types.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Table } from '../components/Table.js';

/** Invoices with a PDF download each; `onRefund` adds a refund button to paid ones. */
export function InvoiceTable({
  invoices,
  onRefund,
}: {
  invoices: Invoice[];
  onRefund?(invoice: Invoice): void;
}) {
  const api = useApi();
  const download = useMutation({ mutationFn: (id: string) => downloadInvoicePdf(api, id) });
  return (
    <>
      <ErrorAlert error={download.error} />
      <Table
        caption="Invoices"
        columns={['Invoice', 'Customer', 'Status', 'Total', 'Tax', 'Paid', 'Created', 'Actions']}
      >
        {invoices.map((invoice) => {
          const name = invoice.number ?? invoice.id;
          return (
            <tr key={invoice.id}>
              <th scope="row">{name}</th>
              <td>{invoice.customer_id}</td>
              <td>
                <span className={`badge ${invoice.status}`}>{invoice.status}</span>
              </td>
              <td>{formatMoney(invoice.total, invoice.currency)}</td>
              <td>{formatMoney(invoice.tax, invoice.currency)}</td>
              <td>{formatMoney(invoice.amount_paid, invoice.currency)}</td>
              <td>{formatDate(invoice.created_at)}</td>
              <td className="row-actions">
                <button
                  type="button"
                  disabled={invoice.status === 'draft' || download.isPending}
                  onClick={() => download.mutate(invoice.id)}
                >
                  PDF<span className="visually-hidden"> of {name}</span>
                </button>
                {onRefund && invoice.status === 'paid' && invoice.amount_paid > 0 && (
                  <button type="button" onClick={() => onRefund(invoice)}>
                    Refund<span className="visually-hidden"> {name}</span>
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </Table>
    </>
  );
}
