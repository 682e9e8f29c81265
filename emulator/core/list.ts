/**
 * Stripe's cursor pagination: newest first, `limit` 1–100 (default 10), `starting_after` for the
 * next page, `ending_before` for the previous one. Cursors are positions in the full collection
 * order, so a cursor object that a filter excludes still marks a valid place in the list.
 */
import type Stripe from 'stripe';
import { resourceMissing } from './errors.js';
import { type ParamFields, p, type RangeFilter } from './params.js';
import type { Identified } from './store.js';

export interface PaginationParams {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
}

/** Pagination parameters plus the list's own filters. */
export function listFields(filters: ParamFields = {}): ParamFields {
  return {
    limit: p.integer({ min: 1, max: 100 }),
    starting_after: p.string(),
    ending_before: p.string(),
    ...filters,
  };
}

export interface PageOptions<T> {
  /** The path the list lives at, echoed as `url`. */
  url: string;
  /** Stripe's word for the resource in "No such …" when a cursor is unknown. */
  noun: string;
  matches?: (record: T) => boolean;
}

export function paginate<T extends Identified>(
  newestFirst: T[],
  params: PaginationParams,
  options: PageOptions<T>,
): Stripe.ApiList<T> {
  const limit = params.limit ?? 10;
  const matches = options.matches ?? (() => true);
  const cursorIndex = (id: string, param: string) => {
    const index = newestFirst.findIndex((record) => record.id === id);
    if (index === -1) throw resourceMissing(options.noun, id, param);
    return index;
  };

  if (params.ending_before) {
    const end = cursorIndex(params.ending_before, 'ending_before');
    const newer = newestFirst.slice(0, end).filter(matches);
    const page = newer.slice(Math.max(0, newer.length - limit));
    return { object: 'list', data: page, has_more: newer.length > limit, url: options.url };
  }

  const start = params.starting_after ? cursorIndex(params.starting_after, 'starting_after') + 1 : 0;
  const page: T[] = [];
  let hasMore = false;
  for (let i = start; i < newestFirst.length; i++) {
    const record = newestFirst[i]!;
    if (!matches(record)) continue;
    if (page.length === limit) {
      hasMore = true;
      break;
    }
    page.push(record);
  }
  return { object: 'list', data: page, has_more: hasMore, url: options.url };
}

/** `created=123` or `created[gte]=…` as a predicate on a unix time. */
export function inRange(value: number, range: number | RangeFilter | undefined): boolean {
  if (range === undefined) return true;
  if (typeof range === 'number') return value === range;
  if (range.gt !== undefined && !(value > range.gt)) return false;
  if (range.gte !== undefined && !(value >= range.gte)) return false;
  if (range.lt !== undefined && !(value < range.lt)) return false;
  if (range.lte !== undefined && !(value <= range.lte)) return false;
  return true;
}
