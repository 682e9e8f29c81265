import { type AnyColumn, asc, desc, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { ValidationError } from './errors.js';
import { isInstantInRange, isSafeText } from './input.js';

/**
 * Server-side sorting for the cursor-paged admin lists. Each list names its sort keys, each a
 * non-null column; rows are ordered by (key, id) in the asked direction, and a page's cursor carries
 * the sort, the direction, the key's value and the id of its last row, so the next page starts with
 * a row comparison that walks a (key, id) index from there.
 */
export type SortOrder = 'asc' | 'desc';
export type SortKind = 'time' | 'int' | 'text';
/** A list's sort keys: each key's column, the kind of its values, and how to read it off a row. */
export type SortColumns<K extends string, R> = Record<
  K,
  { column: AnyColumn; kind: SortKind; of(row: R): Date | number | string }
>;

export interface Sort<K extends string = string> {
  key: K;
  order: SortOrder;
}

/** `sort` and `order` query fields; a value outside the list is a 400 that names it. */
export function sortQueryFields<K extends string>(keys: readonly [K, ...K[]], fallback: K) {
  const refuse = (what: string, allowed: readonly string[]) => (issue: { input?: unknown }) =>
    `'${String(issue.input)}' is not ${what}; expected one of ${allowed.join(', ')}`;
  return {
    sort: z
      .enum(keys, { error: refuse('a sort key of this list', keys) })
      .default(fallback)
      .describe(`Sort key: ${keys.join(', ')} (default ${fallback})`),
    order: z
      .enum(['asc', 'desc'], { error: refuse('an order', ['asc', 'desc']) })
      .default('desc')
      .describe('desc (default): newest, largest or last first; asc: the reverse'),
  };
}

/** Where a page of a sorted list ended. Opaque to clients. */
export interface SortCursor {
  value: Date | number | string;
  id: string;
}

export function encodeSortCursor(sort: Sort, position: SortCursor): string {
  const value = position.value instanceof Date ? position.value.toISOString() : position.value;
  return Buffer.from(JSON.stringify([sort.key, sort.order, value, position.id])).toString('base64url');
}

const badCursor = (message = 'The cursor is not one this API returned') =>
  new ValidationError('invalid_cursor', message);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badCursor();
  }
}

/** The position a cursor holds, checked against the sort it is used with (a forged one reaches SQL). */
export function decodeSortCursor(cursor: string, sort: Sort, kind: SortKind): SortCursor {
  const parsed = parseJson(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Array.isArray(parsed) || parsed.length !== 4) throw badCursor();
  const [key, order, value, id] = parsed as unknown[];
  if (key !== sort.key || order !== sort.order)
    throw badCursor('The cursor belongs to another sort or order: start again from the first page');
  if (typeof id !== 'string' || id.length === 0 || id.length > 200 || !isSafeText(id)) throw badCursor();
  if (kind === 'time') {
    const at = new Date(typeof value === 'string' ? value : Number.NaN);
    if (!isInstantInRange(at)) throw badCursor();
    return { value: at, id };
  }
  if (kind === 'int') {
    if (!Number.isSafeInteger(value)) throw badCursor();
    return { value: value as number, id };
  }
  if (typeof value !== 'string' || value.length > 200 || !isSafeText(value)) throw badCursor();
  return { value, id };
}

/** ORDER BY and the after-cursor condition of a sorted page. */
export function sortedPage<K extends string, R>(
  columns: SortColumns<K, R>,
  idColumn: AnyColumn,
  sort: Sort<K>,
  cursor: string | undefined,
): { orderBy: SQL[]; after: SQL | undefined } {
  const { column, kind } = columns[sort.key];
  const after = cursor === undefined ? undefined : decodeSortCursor(cursor, sort, kind);
  const direction = sort.order === 'asc' ? asc : desc;
  const orderBy = [direction(column), direction(idColumn)];
  if (!after) return { orderBy, after: undefined };
  const value =
    kind === 'time'
      ? sql`${(after.value as Date).toISOString()}::timestamptz`
      : kind === 'int'
        ? sql`${after.value}::bigint`
        : sql`${after.value}::text`;
  // A row comparison walks the (key, id) index from the cursor; the equivalent OR does not.
  const condition =
    sort.order === 'asc'
      ? sql`(${column}, ${idColumn}) > (${value}, ${after.id})`
      : sql`(${column}, ${idColumn}) < (${value}, ${after.id})`;
  return { orderBy, after: condition };
}

/** The cursor of the page after `rows` (read one more than `limit`), or null on the last page. */
export function nextSortCursor<K extends string, R extends { id: string }>(
  columns: SortColumns<K, R>,
  rows: R[],
  limit: number,
  sort: Sort<K>,
): string | null {
  if (rows.length <= limit) return null;
  const last = rows[limit - 1]!;
  return encodeSortCursor(sort, { value: columns[sort.key].of(last), id: last.id });
}

/** The sort and page of a list request, as its query gives them. */
export interface SortedPage<K extends string> {
  limit: number;
  sort: Sort<K>;
  cursor?: string | undefined;
}
