/** A run's per-object counts in words: "customers 12, invoices 40". */
export function countsText(counts: Record<string, unknown>): string {
  const parts = Object.entries(counts).map(([name, n]) => `${name} ${String(n)}`);
  return parts.length ? parts.join(', ') : 'nothing yet';
}
