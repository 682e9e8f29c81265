import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { expectValidXref } from '../testing/pdf-structure.js';
import { hostedInvoicePage } from './hosted-page.js';
import { invoicePdf } from './invoice-pdf.js';
import { writePdf } from './pdf.js';

const invoice = {
  id: 'in_123',
  number: 'ABCD1234-0002',
  currency: 'eur',
  created: 1_767_225_600,
  status: 'open',
  status_transitions: {
    finalized_at: 1_767_225_600,
    paid_at: null,
    voided_at: null,
    marked_uncollectible_at: null,
  },
  due_date: null,
  customer_name: 'Jenny (Rosen)',
  customer_email: 'jenny@example.com',
  subtotal: 4333,
  total_discount_amounts: [{ amount: 1083, discount: 'di_1' }],
  total: 3250,
  starting_balance: 0,
  amount_paid: 0,
  amount_due: 3250,
  amount_remaining: 3250,
} as unknown as Stripe.Invoice;

const lines = [
  {
    description: 'Remaining time on Pro after 5 Jan 2026',
    quantity: 1,
    amount: 5000,
    period: { start: 1, end: 2 },
  },
  {
    description: 'Unused time on Basic <b> after 5 Jan 2026',
    quantity: 1,
    amount: -667,
    period: { start: 1, end: 2 },
  },
] as unknown as Stripe.InvoiceLineItem[];

describe('invoice documents', () => {
  it('writes a PDF with a valid cross-reference table, the number, lines and totals', () => {
    const pdf = invoicePdf(invoice, lines);
    expectValidXref(pdf);
    const text = pdf.toString('latin1');
    expect(text).toContain('(ABCD1234-0002)');
    expect(text).toContain('(Remaining time on Pro after 5 Jan 2026)');
    expect(text).toContain('Jenny \\(Rosen\\)');
    expect(text).toContain('(\\20032.50)'); // €32.50, the euro sign as WinAnsi 0x80
    expect(text).toContain('(-\\20010.83)');
  });

  it('headlines a paid invoice with the amount paid and the day, and nothing left due', () => {
    const paid = {
      ...invoice,
      status: 'paid',
      status_transitions: { ...invoice.status_transitions, paid_at: 1_767_312_000 },
      amount_paid: 3250,
      amount_remaining: 0,
    } as Stripe.Invoice;
    const text = invoicePdf(paid, lines).toString('latin1');
    expect(text).toContain('(\\20032.50 paid on January 2, 2026)');
    expect(text).not.toMatch(/\d due\)/);
    expect(text).toMatch(/\(Amount due\)[^(]*\(\\2000.00\)/);
    expect(hostedInvoicePage(paid, lines, 'http://localhost/pdf')).toContain(
      '€32.50 paid on January 2, 2026',
    );
    expect(invoicePdf(invoice, lines).toString('latin1')).toContain('(\\20032.50 due)');
  });

  it('continues long invoices on further pages', () => {
    const many = Array.from({ length: 80 }, (_, i) => ({ ...lines[0]!, description: `Line ${i}` }));
    const pdf = invoicePdf(invoice, many as Stripe.InvoiceLineItem[]);
    expectValidXref(pdf);
    const text = pdf.toString('latin1');
    const pageCount = Number(/\/Count (\d+)/.exec(text)?.[1]);
    expect(pageCount).toBeGreaterThan(1);
    expect(text.match(/\/Type \/Page /g)).toHaveLength(pageCount);
    expect(text).toContain('(Line 79)');
  });

  it('escapes parentheses and backslashes in PDF strings', () => {
    const text = writePdf([{ runs: [{ x: 1, y: 1, text: 'a\\b(c)' }] }], 't').toString('latin1');
    expect(text).toContain('(a\\\\b\\(c\\))');
  });

  it('renders the hosted page with escaped text and a link to the PDF', () => {
    const html = hostedInvoicePage(invoice, lines, 'http://localhost/pdf');
    expect(html).toContain('Invoice ABCD1234-0002');
    expect(html).toContain('Basic &lt;b&gt;');
    expect(html).toContain('€32.50 due');
    expect(html).toContain('href="http://localhost/pdf"');
  });
});
