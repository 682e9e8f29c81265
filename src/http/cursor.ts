import { ValidationError } from './errors.js';

/** A list position: the sort time and id of the last row of a page (newest-first lists). */
export interface Cursor {
  at: Date;
  id: string;
}

/** Cursors are opaque to clients, so the order they encode may change without breaking anyone. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Cursor {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  if (!id || Number.isNaN(at.getTime()))
    throw new ValidationError('invalid_cursor', 'The cursor is not one this API returned');
  return { at, id };
}
