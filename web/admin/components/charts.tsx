import { useId } from 'react';

export interface Point {
  label: string;
  value: number;
}

interface ChartProps {
  title: string;
  points: Point[];
  /** Turns a value into the words shown in the data table and the axis. */
  format(value: number): string;
}

const WIDTH = 480;
const HEIGHT = 180;
const PAD = { top: 12, right: 28, bottom: 28, left: 28 };

function scale(points: Point[]) {
  const values = points.map((p) => p.value);
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const step = points.length > 1 ? innerW / (points.length - 1) : 0;
  return {
    x: (i: number) => PAD.left + (points.length > 1 ? i * step : innerW / 2),
    y: (v: number) => PAD.top + innerH - ((v - min) / span) * innerH,
    band: innerW / Math.max(1, points.length),
    zero: PAD.top + innerH - ((0 - min) / span) * innerH,
  };
}

/** The figures behind a chart, for screen readers and for anyone who wants the numbers. */
function DataTable({ title, points, format }: ChartProps) {
  return (
    // Hidden through a wrapper: a table ignores the 1 px width and would widen the page.
    <div className="visually-hidden">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.label}>
              <th scope="row">{p.label}</th>
              <td>{format(p.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Axis({ points, x }: { points: Point[]; x(i: number): number }) {
  // Every label when few, else every third, so month names never overlap.
  const every = points.length > 6 ? 3 : 1;
  return (
    <g className="axis">
      {points.map((p, i) =>
        i % every === 0 ? (
          <text key={p.label} x={x(i)} y={HEIGHT - 8} textAnchor="middle">
            {p.label}
          </text>
        ) : null,
      )}
    </g>
  );
}

export function LineChart(props: ChartProps) {
  const titleId = useId();
  const { points } = props;
  const s = scale(points);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${s.x(i)},${s.y(p.value)}`).join(' ');
  const last = points[points.length - 1];
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId}>
        <title id={titleId}>
          {props.title}
          {last ? `, latest ${props.format(last.value)} in ${last.label}` : ', no data'}
        </title>
        <line className="baseline" x1={PAD.left} x2={WIDTH - PAD.right} y1={s.zero} y2={s.zero} />
        <path className="line" d={path} />
        {points.map((p, i) => (
          <circle key={p.label} className="dot" cx={s.x(i)} cy={s.y(p.value)} r={3} />
        ))}
        <Axis points={points} x={s.x} />
      </svg>
      <figcaption>{props.title}</figcaption>
      <DataTable {...props} />
    </figure>
  );
}

/** Bars grow up from zero for gains and down for losses (e.g. net MRR movement). */
export function BarChart(props: ChartProps) {
  const titleId = useId();
  const { points } = props;
  const s = scale(points);
  const barWidth = Math.max(4, s.band * 0.6);
  const x = (i: number) => PAD.left + s.band * i + s.band / 2;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId}>
        <title id={titleId}>{props.title}</title>
        {points.map((p, i) => {
          const top = Math.min(s.y(p.value), s.zero);
          return (
            <rect
              key={p.label}
              className={p.value < 0 ? 'bar negative' : 'bar'}
              x={x(i) - barWidth / 2}
              y={top}
              width={barWidth}
              height={Math.max(1, Math.abs(s.y(p.value) - s.zero))}
            />
          );
        })}
        <line className="baseline" x1={PAD.left} x2={WIDTH - PAD.right} y1={s.zero} y2={s.zero} />
        <Axis points={points} x={x} />
      </svg>
      <figcaption>{props.title}</figcaption>
      <DataTable {...props} />
    </figure>
  );
}
