// The page behind `hosted_invoice_url`: what the customer sees when they open the invoice link.
// Plain HTML with no scripts; paying happens through the API, as the emulator has no card form.

import type Stripe from 'stripe';
import { formatMoney, invoiceHeadline } from './money.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/**
 * What an open invoice offers the customer: confirming a payment that waits for authentication,
 * or trying again after a failed one (Stripe's page lets the customer pay the invoice itself).
 */
export interface PaymentPrompt {
  kind: 'confirm' | 'retry';
  /** Where the button posts (`…/authenticate` is a GET link to the challenge). */
  href: string;
  /** Why the last attempt failed, when it did. */
  error: string | null;
}

function promptHtml(prompt: PaymentPrompt | null): string {
  if (!prompt) return '';
  const error = prompt.error ? `<p class="error" role="alert">${escapeHtml(prompt.error)}</p>\n` : '';
  if (prompt.kind === 'confirm') {
    return `<section class="prompt">${error}<p>Your bank asks you to confirm this payment.</p>
<p><a class="button" href="${escapeHtml(prompt.href)}">Confirm payment</a></p></section>`;
  }
  return `<section class="prompt">${error}<form method="post" action="${escapeHtml(prompt.href)}">
<button type="submit">Pay this invoice</button></form></section>`;
}

export function hostedInvoicePage(
  invoice: Stripe.Invoice,
  lines: Stripe.InvoiceLineItem[],
  pdfUrl: string,
  prompt: PaymentPrompt | null = null,
): string {
  const money = (amount: number) => escapeHtml(formatMoney(amount, invoice.currency));
  const rows = lines
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.description ?? '')}</td><td>${line.quantity ?? 1}</td>` +
        `<td class="amount">${money(line.amount)}</td></tr>`,
    )
    .join('\n');
  const discounts = (invoice.total_discount_amounts ?? [])
    .map((d) => `<tr><td colspan="2">Discount</td><td class="amount">${money(-d.amount)}</td></tr>`)
    .join('\n');
  const headline = escapeHtml(invoiceHeadline(invoice));
  // Custom fields head the invoice and the footer closes it, as on Stripe's page and PDF.
  const customFields = (invoice.custom_fields ?? [])
    .map((field) => `<dt>${escapeHtml(field.name)}</dt><dd>${escapeHtml(field.value)}</dd>`)
    .join('');
  const footer = invoice.footer
    ? `<footer class="invoice-footer">${escapeHtml(invoice.footer)}</footer>\n`
    : '';
  const number = escapeHtml(invoice.number ?? invoice.id);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Invoice ${number}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; color: #1a1f36; }
  table { width: 100%; border-collapse: collapse; }
  td, th { padding: .4rem 0; border-bottom: 1px solid #e3e8ee; text-align: left; }
  .amount { text-align: right; }
  .status { text-transform: uppercase; font-size: .8rem; letter-spacing: .05em; }
  .error { color: #df1b41; font-weight: 600; }
  dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
  dl.fields dt { font-weight: 600; }
  dl.fields dd { margin: 0; }
  .invoice-footer { margin-top: 2rem; color: #697386; font-size: .9rem; white-space: pre-line; }
  a.button, button { font: inherit; display: inline-block; padding: .55rem 1.2rem; border: 0; border-radius: 6px; background: #635bff; color: #fff; text-decoration: none; cursor: pointer; }
</style>
</head>
<body>
<h1>Invoice ${number}</h1>
<p class="status">${escapeHtml(invoice.status ?? 'draft')}</p>
<h2>${headline}</h2>
${promptHtml(prompt)}
<p>${escapeHtml([invoice.customer_name, invoice.customer_email].filter(Boolean).join(' · '))}</p>
${customFields ? `<dl class="fields">${customFields}</dl>` : ''}
<table>
<thead><tr><th>Description</th><th>Qty</th><th class="amount">Amount</th></tr></thead>
<tbody>
${rows}
<tr><td colspan="2">Subtotal</td><td class="amount">${money(invoice.subtotal)}</td></tr>
${discounts}
<tr><td colspan="2"><strong>Total</strong></td><td class="amount"><strong>${money(invoice.total)}</strong></td></tr>
<tr><td colspan="2">Amount paid</td><td class="amount">${money(invoice.amount_paid)}</td></tr>
<tr><td colspan="2"><strong>Amount due</strong></td><td class="amount"><strong>${money(invoice.amount_remaining)}</strong></td></tr>
</tbody>
</table>
<p><a href="${escapeHtml(pdfUrl)}">Download invoice (PDF)</a></p>
${footer}</body>
</html>
`;
}
