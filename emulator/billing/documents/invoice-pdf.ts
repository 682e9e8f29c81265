// The invoice as a PDF, laid out like a plain version of Stripe's: header, parties, a table of
// lines, then the totals. Long invoices continue on further pages.

import type Stripe from 'stripe';
import { formatDate, formatMoney, invoiceHeadline } from './money.js';
import { PAGE, type PdfPage, type TextRun, writePdf } from './pdf.js';

const MARGIN = 56;
const AMOUNT_RIGHT = PAGE.width - MARGIN;
const QTY_X = 400;
const LINE_HEIGHT = 16;
/** Approximate Helvetica advance per point of size, for right-aligning figures. */
const CHAR_WIDTH = 0.52;

function rightAligned(text: string, right: number, y: number, size = 10, bold = false): TextRun {
  return { x: Math.round(right - text.length * size * CHAR_WIDTH), y, text, size, bold };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Words in lines of at most `width` characters (a longer word is cut). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= width) line = next;
    else {
      if (line) lines.push(line);
      line = truncate(word, width);
    }
  }
  if (line) lines.push(line);
  return lines;
}

export function invoicePdf(invoice: Stripe.Invoice, lines: Stripe.InvoiceLineItem[]): Buffer {
  const money = (amount: number) => formatMoney(amount, invoice.currency);
  const pages: PdfPage[] = [];
  let page: PdfPage = { runs: [], rules: [] };
  let y = PAGE.height - MARGIN;

  const newPage = () => {
    pages.push(page);
    page = { runs: [], rules: [] };
    y = PAGE.height - MARGIN;
  };
  const ensureRoom = (needed: number) => {
    if (y - needed < MARGIN) newPage();
  };

  page.runs.push({ x: MARGIN, y, text: 'Invoice', size: 22, bold: true });
  y -= 34;
  const facts: Array<[string, string]> = [
    ['Invoice number', invoice.number ?? 'Draft'],
    ['Date of issue', formatDate(invoice.status_transitions.finalized_at ?? invoice.created)],
  ];
  if (invoice.due_date) facts.push(['Date due', formatDate(invoice.due_date)]);
  facts.push(['Status', invoice.status ?? 'draft']);
  // Custom fields (a PO number, a tax id) render at the top right, as Stripe's PDF has them.
  let fieldY = y;
  for (const field of invoice.custom_fields ?? []) {
    page.runs.push(
      rightAligned(`${truncate(field.name, 30)}: ${truncate(field.value, 30)}`, AMOUNT_RIGHT, fieldY),
    );
    fieldY -= LINE_HEIGHT;
  }
  for (const [label, value] of facts) {
    page.runs.push({ x: MARGIN, y, text: label, bold: true }, { x: MARGIN + 110, y, text: value });
    y -= LINE_HEIGHT;
  }
  y = Math.min(y, fieldY);
  y -= 10;
  page.runs.push({ x: MARGIN, y, text: 'Bill to', bold: true });
  y -= LINE_HEIGHT;
  for (const text of [invoice.customer_name, invoice.customer_email].filter((t): t is string => !!t)) {
    page.runs.push({ x: MARGIN, y, text });
    y -= LINE_HEIGHT;
  }
  y -= 14;
  page.runs.push({ x: MARGIN, y, text: invoiceHeadline(invoice), size: 14, bold: true });
  y -= 30;

  const tableHeader = () => {
    page.runs.push(
      { x: MARGIN, y, text: 'Description', bold: true },
      { x: QTY_X, y, text: 'Qty', bold: true },
      rightAligned('Amount', AMOUNT_RIGHT, y, 10, true),
    );
    page.rules!.push({ x1: MARGIN, x2: AMOUNT_RIGHT, y: y - 5 });
    y -= LINE_HEIGHT + 4;
  };
  tableHeader();
  for (const line of lines) {
    ensureRoom(LINE_HEIGHT * 2);
    if (page.runs.length === 0) tableHeader();
    page.runs.push(
      { x: MARGIN, y, text: truncate(line.description ?? '', 62) },
      { x: QTY_X, y, text: String(line.quantity ?? 1) },
      rightAligned(money(line.amount), AMOUNT_RIGHT, y),
    );
    if (line.period.start !== line.period.end) {
      y -= 12;
      const period = `${formatDate(line.period.start)} – ${formatDate(line.period.end)}`;
      page.runs.push({ x: MARGIN, y, text: period, size: 8 });
    }
    y -= LINE_HEIGHT;
  }

  const totals: Array<[string, number, boolean]> = [['Subtotal', invoice.subtotal, false]];
  for (const discount of invoice.total_discount_amounts ?? []) {
    totals.push(['Discount', -discount.amount, false]);
  }
  totals.push(['Total', invoice.total, true]);
  if (invoice.starting_balance !== 0) totals.push(['Applied balance', invoice.starting_balance, false]);
  // What is still owed: nothing once paid (Stripe's `amount_due` keeps the invoiced amount).
  totals.push(['Amount paid', invoice.amount_paid, false], ['Amount due', invoice.amount_remaining, true]);
  ensureRoom(totals.length * LINE_HEIGHT + 12);
  page.rules!.push({ x1: QTY_X, x2: AMOUNT_RIGHT, y: y + 8 });
  y -= 6;
  for (const [label, amount, bold] of totals) {
    page.runs.push(
      { x: QTY_X, y, text: label, bold },
      rightAligned(money(amount), AMOUNT_RIGHT, y, 10, bold),
    );
    y -= LINE_HEIGHT;
  }
  const footer = (invoice.footer ?? '').split('\n').flatMap((text) => wrap(text, 95));
  if (footer.length) {
    y -= 14;
    ensureRoom(footer.length * 12);
    for (const text of footer) {
      page.runs.push({ x: MARGIN, y, text, size: 8 });
      y -= 12;
    }
  }
  pages.push(page);
  return writePdf(pages, `Invoice ${invoice.number ?? invoice.id}`);
}
