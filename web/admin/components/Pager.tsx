import { useState } from 'react';

/**
 * Cursor paging: the API hands out `next_cursor`; going back needs the cursors already seen, kept
 * as a stack. Changing a filter starts again from the first page (`reset`).
 */
export function useCursorPager() {
  const [stack, setStack] = useState<Array<string | undefined>>([undefined]);
  const cursor = stack[stack.length - 1];
  return {
    cursor,
    page: stack.length,
    next: (nextCursor: string) => setStack((s) => [...s, nextCursor]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([undefined]),
  };
}

export type CursorPager = ReturnType<typeof useCursorPager>;

export function Pager({
  pager,
  nextCursor,
  label,
}: {
  pager: CursorPager;
  nextCursor: string | null | undefined;
  label: string;
}) {
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={pager.previous} disabled={pager.page <= 1}>
        Previous
      </button>
      <span>Page {pager.page}</span>
      <button type="button" onClick={() => nextCursor && pager.next(nextCursor)} disabled={!nextCursor}>
        Next
      </button>
    </nav>
  );
}

/** For the lists the API returns whole (plans, recent sync runs): the same controls over a slice. */
export function useSlicePager<T>(rows: T[] | undefined, size: number) {
  const [page, setPage] = useState(1);
  const pages = Math.max(1, Math.ceil((rows?.length ?? 0) / size));
  const current = Math.min(page, pages);
  return {
    rows: rows?.slice((current - 1) * size, current * size),
    controls: { page: current, pages, setPage },
  };
}

export function SlicePager({
  controls,
  label,
}: {
  controls: { page: number; pages: number; setPage(page: number): void };
  label: string;
}) {
  if (controls.pages <= 1) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={() => controls.setPage(controls.page - 1)} disabled={controls.page <= 1}>
        Previous
      </button>
      <span>
        Page {controls.page} of {controls.pages}
      </span>
      <button
        type="button"
        onClick={() => controls.setPage(controls.page + 1)}
        disabled={controls.page >= controls.pages}
      >
        Next
      </button>
    </nav>
  );
}
