import { z } from 'zod';
import { ValidationError } from './errors.js';

/** The query fields every cursor-paged list by creation time takes. */
export const pageQueryFields = {
  created_from: z.iso.datetime({ offset: true }).optional().describe('Created at or after (ISO 8601)'),
  created_to: z.iso.datetime({ offset: true }).optional().describe('Created at or before (ISO 8601)'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional().describe('`next_cursor` of the previous page'),
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
  const createdFrom = query.created_from ? new Date(query.created_from) : undefined;
  const createdTo = query.created_to ? new Date(query.created_to) : undefined;
  if (createdFrom && createdTo && createdFrom > createdTo)
    throw new ValidationError('invalid_date_range', 'created_from must not be after created_to');
  return {
    createdFrom,
    createdTo,
    page: { limit: query.limit, after: query.cursor ? decodeCursor(query.cursor) : undefined },
  };
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
  if (!id || Number.isNaN(date.getTime()))
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
