import type { Db } from '../db/client.js';
import type { Cursor } from '../http/pagination.js';
import type { SortOrder } from '../http/sorting.js';
import type { PiiCipher } from '../shared/crypto.js';
import { type CustomerFilter, type CustomerRow, customerRepository as repo } from './repository.js';

/** Rows one search request decrypts at most; the next page carries on where it stopped. */
export const SEARCH_SCAN_LIMIT = 5_000;
const SCAN_PAGE = 500;

/**
 * Whether a customer's email or name matches what an admin typed, case-insensitively: the start of
 * the address, the start of its domain (`example.` or `@example.com`), or the start of any word of
 * the name.
 */
export function matchesSearch(term: string, contact: { email: string | null; name: string | null }): boolean {
  const t = term.trim().toLowerCase();
  if (t === '') return true;
  const email = contact.email?.toLowerCase() ?? '';
  const domain = email.slice(email.indexOf('@') + 1);
  if (email.startsWith(t) || (email.includes('@') && (domain.startsWith(t) || `@${domain}`.startsWith(t))))
    return true;
  return (contact.name ?? '')
    .toLowerCase()
    .split(/\s+/)
    .some((word) => word !== '' && word.startsWith(t));
}

/**
 * Partial search over encrypted contact data. Emails are stored sealed, with only a keyed hash of the
 * whole address to look up by, so no index can answer "starts with": the newest customers (matching
 * the other filters, in the list's order) are read in pages, decrypted in memory, never logged, and matched, up to
 * SEARCH_SCAN_LIMIT rows a request. When the bound stops a scan, `next` is where it stopped, so the
 * next page reads on; a page may then hold fewer matches than asked for.
 */
export async function searchCustomers(
  deps: { db: Db; cipher: PiiCipher },
  term: string,
  filter: Omit<CustomerFilter, 'emailHash'>,
  page: { limit: number; before?: Cursor | undefined; order?: SortOrder | undefined },
): Promise<{ rows: CustomerRow[]; next: Cursor | null }> {
  const found: CustomerRow[] = [];
  let before = page.before;
  let scanned = 0;
  const open = (sealed: string | null) => (sealed ? deps.cipher.decrypt(sealed) : null);
  for (;;) {
    const batch = await repo.list(deps.db, filter, { limit: SCAN_PAGE, before, order: page.order });
    const rows = batch.slice(0, SCAN_PAGE);
    const moreAfterBatch = batch.length > SCAN_PAGE;
    for (const [i, row] of rows.entries()) {
      scanned++;
      before = { at: row.createdAt, id: row.id };
      const rowsFollow = i < rows.length - 1 || moreAfterBatch;
      if (matchesSearch(term, { email: open(row.emailEncrypted), name: open(row.nameEncrypted) })) {
        found.push(row);
        if (found.length === page.limit) return { rows: found, next: rowsFollow ? before : null };
      }
      if (scanned >= SEARCH_SCAN_LIMIT) return { rows: found, next: rowsFollow ? before : null };
    }
    if (!moreAfterBatch) return { rows: found, next: null };
  }
}
