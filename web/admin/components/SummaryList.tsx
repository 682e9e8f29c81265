import type { ReactNode } from 'react';

/** An object's facts as a card of term and value pairs, flowing into as many columns as fit. */
export function SummaryList({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <dl className="card summary">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
