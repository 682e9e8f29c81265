import { type Api, toApiError } from './client.js';
import { saveDownload } from './download.js';

/** The invoice's PDF, downloaded through the client (the link needs the Bearer credential). */
export async function downloadInvoicePdf(api: Api, invoiceId: string): Promise<void> {
  const { data, error, response } = await api.GET('/api/invoices/{id}/pdf', {
    params: { path: { id: invoiceId } },
    parseAs: 'blob',
  });
  if (!response.ok || error !== undefined) throw toApiError(response.status, error);
  saveDownload(data as Blob, response, `${invoiceId}.pdf`);
}
