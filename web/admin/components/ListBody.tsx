import type { ReactNode } from 'react';
import { Empty, ErrorAlert, Loading } from './ErrorAlert.js';
import { type CursorPager, Pager } from './Pager.js';

/**
 * A paged list's body: the API's error, then "Loading…", the rows (drawn by `children`) or
 * "No … match.", and the pager.
 */
export function ListBody<T>(props: {
  what: string;
  list: { error: unknown; isPending: boolean; data?: { data: T[]; next_cursor: string | null } | undefined };
  /** Another error to show in the same place (e.g. of counts the page also reads). */
  error?: unknown;
  pager: CursorPager;
  pagerLabel: string;
  children(rows: T[]): ReactNode;
}) {
  const { list } = props;
  return (
    <>
      <ErrorAlert error={list.error ?? props.error} />
      {list.isPending ? (
        <Loading what={props.what} />
      ) : list.data?.data.length ? (
        props.children(list.data.data)
      ) : (
        <Empty>{`No ${props.what} match.`}</Empty>
      )}
      <Pager pager={props.pager} nextCursor={list.data?.next_cursor} label={props.pagerLabel} />
    </>
  );
}
