import { type ReactNode, useId } from 'react';
import { errorText } from '../ErrorAlert.js';
import './charts.css';

/** One column of a chart's data: its name, where it sits in a row, and how its value reads. */
export interface Column {
  key: string;
  name: string;
  format(value: number | null | undefined): string;
}

export type Row = { label: string } & Record<string, number | string | null | undefined>;

/** The figures behind a picture: the heading of the rows' label column (e.g. "Month"), the columns, the rows. */
export interface FigureTable {
  rowHeader: string;
  columns: Column[];
  rows: Row[];
}

export interface ChartFigureProps {
  title: string;
  /** What the chart shows, read by screen readers before the figures. */
  description: string;
  loading: boolean;
  error: unknown;
  /** Nothing to draw: says so instead of an empty picture. */
  empty: boolean;
  /** Downloads the chart's figures as CSV. */
  onExport(): void;
  exporting?: boolean;
  /** When the picture is not itself a table, its figures as one for screen readers. */
  table?: FigureTable;
  children: ReactNode;
}

function HiddenTable({ title, table }: { title: string; table: FigureTable }) {
  return (
    // Hidden through a wrapper: a table ignores the 1 px width and would widen the page.
    <div className="visually-hidden">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{table.rowHeader}</th>
            {table.columns.map((c) => (
              <th key={c.key} scope="col">
                {c.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              {table.columns.map((c) => {
                const value = row[c.key];
                return <td key={c.key}>{c.format(typeof value === 'number' ? value : null)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A chart's frame: its title, a CSV export, loading, error and empty states, and the figures behind
 * the picture as a table that screen readers read (visually hidden: the picture and its tooltips
 * show the same numbers to the eye).
 */
export function ChartFigure(props: ChartFigureProps) {
  const titleId = useId();
  const descriptionId = useId();
  let body: ReactNode;
  if (props.loading) {
    body = (
      <p className="chart-state" role="status">
        Loading {props.title.toLowerCase()}…
      </p>
    );
  } else if (props.error) {
    body = (
      <p className="chart-state alert" role="alert">
        {errorText(props.error)}
      </p>
    );
  } else if (props.empty) {
    body = <p className="chart-state">No figures in this range.</p>;
  } else {
    body = props.children;
  }
  const ready = !props.loading && !props.error && !props.empty;
  return (
    <figure className="chart" aria-labelledby={titleId} aria-describedby={descriptionId}>
      <div className="chart-head">
        <h2 id={titleId}>{props.title}</h2>
        <button
          type="button"
          className="chart-export"
          onClick={props.onExport}
          disabled={props.exporting || props.loading}
          aria-label={`Export CSV of ${props.title}`}
        >
          Export CSV
        </button>
      </div>
      <p id={descriptionId} className="visually-hidden">
        {props.description}
      </p>
      <div className="chart-body">{body}</div>
      {ready && props.table && <HiddenTable title={props.title} table={props.table} />}
    </figure>
  );
}
