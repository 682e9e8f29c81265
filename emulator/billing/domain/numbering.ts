// Invoice numbers as Stripe writes them with per-customer numbering: the customer's invoice
// prefix, a dash, and the customer's sequence padded to four digits (ABCD1234-0001).

export function invoiceNumber(prefix: string, sequence: number): string {
  return `${prefix}-${String(sequence).padStart(4, '0')}`;
}

/** An 8-character uppercase prefix like the ones Stripe gives new customers. */
export function newInvoicePrefix(random: () => number = Math.random): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let prefix = '';
  for (let i = 0; i < 8; i++) prefix += alphabet[Math.floor(random() * alphabet.length)];
  return prefix;
}
