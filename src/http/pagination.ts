import { z } from 'zod';
import { ValidationError } from './errors.js';
import { dateTime, isInstantInRange, isSafeText } from './input.js';

/** A `next_cursor` as this API writes them: base64url, so nothing else gets as far as decoding. */
export const cursorParam = () =>
  z
    .string()
    .max(300)
    .regex(/^[A-Za-z0-9_-]*$/, 'is not a cursor this API returned')
    .optional()
    .describe('`next_cursor` of the previous page');

/** The query fields every cursor-paged list by creation time takes. */
export const pageQueryFields = {
  created_from: dateTime().optional().describe('Created at or after (ISO 8601)'),
  created_to: dateTime().optional().describe('Created at or before (ISO 8601)'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: cursorParam(),
};

export interface PageQuery {
  created_from?: string;
  created_to?: string;
  limit: number;
  cursor?: string;
}

/** The creation-time range and the page position a list query asks for. */
export function parsePageQuery(query: PageQuery): {
  createdFrom: Date | undefined;
  createdTo: Date | undefined;
  page: { limit: number; after: Cursor | undefined };
} {
  return {
    ...createdRange(query.created_from, query.created_to),
    page: { limit: query.limit, after: query.cursor ? decodeCursor(query.cursor) : undefined },
  };
}

/** A list's creation-time bounds; every list refuses a range that ends before it starts. */
export function createdRange(
  from: string | undefined,
  to: string | undefined,
): { createdFrom: Date | undefined; createdTo: Date | undefined } {
  const createdFrom = from ? new Date(from) : undefined;
  const createdTo = to ? new Date(to) : undefined;
  if (createdFrom && createdTo && createdFrom > createdTo)
    throw new ValidationError('invalid_date_range', 'created_from must not be after created_to');
  return { createdFrom, createdTo };
}

/** A list position: the sort time and id of the last row of a page. Opaque to clients. */
export interface Cursor {
  at: Date;
  id: string;
}

export function encodeCursor(position: Cursor): string {
  return Buffer.from(`${position.at.toISOString()}|${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Cursor {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  // A forged cursor reaches SQL as a timestamp and an id: both must be ones a row can hold.
  if (!id || id.length > 200 || !isSafeText(id) || !isInstantInRange(date))
    throw new ValidationError('invalid_cursor', 'The cursor is not one this API returned');
  return { at: date, id };
}

/** One page of `limit` rows from a query that read `limit + 1`, with the cursor of the next one. */
export function pageOf<T, V>(
  rows: T[],
  limit: number,
  position: (row: T) => Cursor,
  view: (row: T) => V,
): { data: V[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  return {
    data: page.map(view),
    next_cursor: rows.length > limit ? encodeCursor(position(page.at(-1)!)) : null,
  };
}
