// The customer-facing invoice pages: `hosted_invoice_url` (HTML) and `invoice_pdf` (a real PDF),
// and, on an open invoice, paying it: `POST …/pay` confirms its payment on session, and a payment
// that needs 3D Secure goes through the challenge at `…/authenticate` (GET shows it, POST answers it).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type Stripe from 'stripe';
import type { EmulatorContext } from '../../core/context.js';
import { challengePage } from '../documents/challenge-page.js';
import { hostedInvoicePage, type PaymentPrompt } from '../documents/hosted-page.js';
import { invoicePdf } from '../documents/invoice-pdf.js';
import {
  awaitsAuthentication,
  cardName,
  finishChallenge,
  invoicePaymentMethod,
  payOnSession,
} from '../engine/authentication.js';
import { invoicePaymentIntent } from '../engine/collection.js';
import type { Billing } from '../engine/context.js';
import { act } from './action.js';

const HTML = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' };

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) break;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const seeOther = (res: ServerResponse, location: string) =>
  res.writeHead(303, { Location: location, 'Cache-Control': 'no-store' }).end();

export function installInvoiceDocuments(ctx: EmulatorContext, billing: Billing): void {
  const promptFor = (invoice: Stripe.Invoice, base: string): PaymentPrompt | null => {
    if (invoice.status !== 'open' || invoice.collection_method !== 'charge_automatically') return null;
    if (!invoicePaymentMethod(billing, invoice)) return null;
    const error = invoicePaymentIntent(billing, invoice)?.last_payment_error?.message ?? null;
    return awaitsAuthentication(billing, invoice)
      ? { kind: 'confirm', href: `${base}/authenticate`, error: null }
      : { kind: 'retry', href: `${base}/pay`, error };
  };

  const challenge = (res: ServerResponse, invoice: Stripe.Invoice, base: string) => {
    const method = invoicePaymentMethod(billing, invoice);
    if (!method || !awaitsAuthentication(billing, invoice)) {
      seeOther(res, base);
      return;
    }
    const account = invoice.account_name ?? 'The business';
    res.writeHead(200, HTML).end(
      challengePage({
        merchant: account,
        amount: invoice.amount_remaining,
        currency: invoice.currency,
        card: cardName(billing, method),
        action: `${base}/authenticate`,
      }),
    );
  };

  ctx.raw('/invoices/', async (req, res, url) => {
    const match = /^\/invoices\/([A-Za-z0-9_]+)(\/pdf|\/pay|\/authenticate)?$/.exec(url.pathname);
    const invoice = match ? billing.data.invoices.get(match[1]!) : undefined;
    // Stripe publishes the pages once an invoice is finalized.
    if (!match || !invoice || invoice.status === 'draft') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Invoice not found');
      return;
    }
    const base = `/invoices/${invoice.id}`;
    const step = match[2];
    if (step === '/pdf') {
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
    if (step === '/authenticate' && req.method === 'GET') {
      challenge(res, invoice, base);
      return;
    }
    if (step && req.method === 'POST') {
      const form = await readForm(req);
      const at = billing.clock.nowForObject(invoice);
      if (step === '/pay') {
        const result = act(billing, (batch) => payOnSession(billing, batch, invoice, at));
        seeOther(res, result === 'requires_action' ? `${base}/authenticate` : base);
        return;
      }
      const outcome = form.get('outcome') === 'complete' ? 'complete' : 'fail';
      act(billing, (batch) => finishChallenge(billing, batch, invoice, outcome, at));
      seeOther(res, base);
      return;
    }
    if (step) {
      res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'POST' }).end('Use POST');
      return;
    }
    const pdfUrl = invoice.invoice_pdf ?? `${url.pathname}/pdf`;
    res
      .writeHead(200, HTML)
      .end(hostedInvoicePage(invoice, invoice.lines.data, pdfUrl, promptFor(invoice, base)));
  });
}
