import { type ReactNode, useLayoutEffect, useRef } from 'react';

/**
 * A table with a caption (hidden when the page heading already says it) and column heads. On a
 * narrow screen each row becomes a card whose cells carry their column's name (`data-label`, set
 * here from the heads so that pages need not repeat them), so nothing scrolls sideways.
 */
export function Table(props: {
  caption: string;
  showCaption?: boolean;
  columns: string[];
  children: ReactNode;
}) {
  const body = useRef<HTMLTableSectionElement>(null);
  useLayoutEffect(() => {
    for (const row of Array.from(body.current?.rows ?? [])) {
      Array.from(row.cells).forEach((cell, i) => {
        const label = props.columns[i];
        if (label) cell.dataset.label = label;
      });
    }
  });
  return (
    <div className="table-wrap">
      <table>
        <caption className={props.showCaption ? undefined : 'visually-hidden'}>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={body}>{props.children}</tbody>
      </table>
    </div>
  );
}
