import { type Api, toApiError } from './client.js';

/**
 * A plain link cannot carry the Bearer credential (the admin key or the customer's token), so the
 * PDF is fetched through the client and handed to the browser as a blob download named as the
 * server names it.
 */
export async function downloadInvoicePdf(api: Api, invoiceId: string): Promise<void> {
  const { data, error, response } = await api.GET('/api/invoices/{id}/pdf', {
    params: { path: { id: invoiceId } },
    parseAs: 'blob',
  });
  if (!response.ok || error !== undefined) throw toApiError(response.status, error);
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${invoiceId}.pdf`;
  const url = URL.createObjectURL(data as Blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download; the object URL is no longer needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
