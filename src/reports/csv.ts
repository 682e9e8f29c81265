export type Cell = string | number | null;

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; null is empty. */
function field(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet; text cells get a quote first.
  const safe = typeof value === 'string' && /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV line (with its CRLF) of these cells. */
export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(field).join(',')}\r\n`;
}

/** A header line of `columns`, then one line per row in the same order. */
export function toCsv(columns: readonly string[], rows: Array<Record<string, Cell>>): string {
  const lines = [
    columns.join(','),
    ...rows.map((row) => columns.map((c) => field(row[c] ?? null)).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
