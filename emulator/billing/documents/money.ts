// Minor units to a display string, with the currency's own number of decimals (JPY has none).

export function formatMoney(amount: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** decimals);
}

export function formatDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * The line at the top of an invoice, as Stripe's page and PDF state it: what was paid and when once
 * paid, otherwise what remains due (and by when).
 * https://docs.stripe.com/invoicing/hosted-invoice-page
 */
export function invoiceHeadline(invoice: {
  status: string | null;
  currency: string;
  amount_paid: number;
  amount_remaining: number;
  due_date: number | null;
  status_transitions: { paid_at: number | null };
}): string {
  if (invoice.status === 'paid') {
    const paidAt = invoice.status_transitions.paid_at;
    return `${formatMoney(invoice.amount_paid, invoice.currency)} paid${paidAt ? ` on ${formatDate(paidAt)}` : ''}`;
  }
  const due = invoice.due_date ? ` ${formatDate(invoice.due_date)}` : '';
  return `${formatMoney(invoice.amount_remaining, invoice.currency)} due${due}`;
}
