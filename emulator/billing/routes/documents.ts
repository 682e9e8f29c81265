// The customer-facing invoice pages: `hosted_invoice_url` (HTML) and `invoice_pdf` (a real PDF).

import type { EmulatorContext } from '../../core/context.js';
import { hostedInvoicePage } from '../documents/hosted-page.js';
import { invoicePdf } from '../documents/invoice-pdf.js';
import type { Billing } from '../engine/context.js';

export function installInvoiceDocuments(ctx: EmulatorContext, billing: Billing): void {
  ctx.raw('/invoices/', (_req, res, url) => {
    const match = /^\/invoices\/([A-Za-z0-9_]+)(\/pdf)?$/.exec(url.pathname);
    const invoice = match ? billing.data.invoices.get(match[1]!) : undefined;
    // Stripe publishes the pages once an invoice is finalized.
    if (!match || !invoice || invoice.status === 'draft') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Invoice not found');
      return;
    }
    if (match[2]) {
      const pdf = invoicePdf(invoice, invoice.lines.data);
      res
        .writeHead(200, {
          'Content-Type': 'application/pdf',
          'Content-Length': pdf.length,
          'Content-Disposition': `inline; filename="Invoice-${invoice.number ?? invoice.id}.pdf"`,
        })
        .end(pdf);
      return;
    }
    const html = hostedInvoicePage(invoice, invoice.lines.data, invoice.invoice_pdf ?? `${url.pathname}/pdf`);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  });
}
