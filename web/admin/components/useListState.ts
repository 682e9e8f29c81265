import { useState } from 'react';
import type { Sort } from './DataTable.js';
import { useCursorPager } from './Pager.js';

/**
 * What every sorted, paged list keeps: its server-side sort (newest first by default) and its page.
 * A new sort or filter starts again from the first page, since a cursor belongs to one sort.
 */
export function useListState<K extends string>(defaultSort: K) {
  const pager = useCursorPager();
  const [sort, setSortState] = useState<Sort<K>>({ key: defaultSort, order: 'desc' });
  return {
    pager,
    sort,
    setSort(next: Sort<K>) {
      setSortState(next);
      pager.reset();
    },
    /** Wraps a filter's setter so that changing it starts from the first page. */
    filter<T>(set: (value: T) => void) {
      return (value: T) => {
        set(value);
        pager.reset();
      };
    },
    /** The `sort`, `order` and `cursor` query fields. */
    query: { sort: sort.key, order: sort.order, ...(pager.cursor ? { cursor: pager.cursor } : {}) },
  };
}
