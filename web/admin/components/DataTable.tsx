import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type SortingState,
  useReactTable,
} from '@tanstack/react-table';
import { type RowAction, RowMenu } from './RowMenu.js';

export type SortOrder = 'asc' | 'desc';
export interface Sort<K extends string> {
  key: K;
  order: SortOrder;
}

/**
 * A column: `header` names it (and labels its cell on a card), `cell` draws it; `sortKey` makes its
 * head a button that sorts the list on the server by that API `sort` key. The first column is the
 * row's header cell.
 */
export interface Column<T, K extends string = never> {
  id: string;
  header: string;
  cell(row: T): React.ReactNode;
  sortKey?: K;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/**
 * Every console list: TanStack Table draws the rows the API returned (already sorted and paged
 * there, hence manual sorting), sortable heads, and a menu of row actions. At 1280 px a table; on
 * a narrow screen each row becomes a card whose cells carry their column's name (styles.css).
 */
export function DataTable<T, K extends string = never>(props: {
  caption: string;
  rows: T[];
  rowId(row: T): string;
  /** Words naming a row in its actions' labels ("Actions for in_123"). */
  rowName(row: T): string;
  columns: Column<T, K>[];
  sort?: Sort<K>;
  onSort?(sort: Sort<K>): void;
  actions?(row: T): RowAction[];
}) {
  const { sort, onSort, actions } = props;
  const columns: ColumnDef<T>[] = props.columns.map((c) => ({
    id: c.sortKey ?? c.id,
    header: c.header,
    cell: (info) => c.cell(info.row.original),
    // TanStack Table sorts only columns with an accessor; the rows arrive sorted, so it reads nothing.
    accessorFn: () => null,
    enableSorting: c.sortKey !== undefined && onSort !== undefined,
  }));
  if (actions) columns.push({ id: 'actions', header: 'Actions', cell: () => null, enableSorting: false });
  const sorting: SortingState = sort ? [{ id: sort.key, desc: sort.order === 'desc' }] : [];
  const table = useReactTable({
    data: props.rows,
    columns,
    getRowId: props.rowId,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableMultiSort: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      // TanStack Table cycles desc → asc → none; the API always sorts, so "none" is the default order.
      if (first && onSort) onSort({ key: first.id as K, order: first.desc ? 'desc' : 'asc' });
      else if (sort && onSort) onSort({ key: sort.key, order: sort.order === 'desc' ? 'asc' : 'desc' });
    },
    sortDescFirst: true,
  });

  return (
    <div className="table-wrap data-table">
      <table>
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const label = String(header.column.columnDef.header);
                const order = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={header.column.getCanSort() ? (order ? ARIA_SORT[order] : 'none') : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <button
                        type="button"
                        className="sort"
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        {label}
                        <span aria-hidden="true" className="sort-mark">
                          {order === 'asc' ? '▲' : order === 'desc' ? '▼' : '↕'}
                        </span>
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} data-row-id={row.id}>
              {row.getVisibleCells().map((cell, i) => {
                const label = String(cell.column.columnDef.header);
                if (cell.column.id === 'actions')
                  return (
                    <td key={cell.id} data-label={label} className="actions-cell">
                      <RowMenu
                        label={`Actions for ${props.rowName(row.original)}`}
                        actions={actions!(row.original)}
                      />
                    </td>
                  );
                const content = flexRender(cell.column.columnDef.cell, cell.getContext());
                return i === 0 ? (
                  <th key={cell.id} scope="row" data-label={label}>
                    {content}
                  </th>
                ) : (
                  <td key={cell.id} data-label={label}>
                    {content}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
