import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartFigure, type ChartFigureProps, type Column, type Row } from './ChartFigure.js';

/** One series of a chart: a line (dashed for the previous period) or a bar, stacked when `stack` names a stack. */
export interface Series extends Column {
  kind: 'line' | 'bar';
  color: string;
  stack?: string;
  dashed?: boolean;
}

export interface SeriesChartProps extends Omit<ChartFigureProps, 'table' | 'children' | 'empty'> {
  rows: Row[];
  series: Series[];
  /** A value on the vertical axis, short (e.g. "$1.2K"). */
  axisFormat(value: number): string;
  /**
   * The horizontal axis: the rows' field it is drawn from and how a tick reads, short (e.g. "Mar 26");
   * the tooltip and the table keep the row's long `label`. By default the label itself.
   */
  ticks?: { key: string; format(value: string): string };
  /** Columns shown in the hidden table beside the series (e.g. a rate beside its counts). */
  extraColumns?: Column[];
  /** Counts: whole numbers only on the vertical axis. */
  integers?: boolean;
}

export const PALETTE = {
  primary: '#1f4fd1',
  previous: '#6b7280',
  good: '#166534',
  teal: '#0f766e',
  violet: '#6d28d9',
  amber: '#a16207',
  bad: '#b3261e',
  rose: '#be185d',
} as const;

/**
 * Months along the bottom, values up the side, with gridlines, a tooltip and a legend; each series
 * a line or a (stacked) bar. The keyboard moves the tooltip (arrow keys once the chart has focus).
 */
export function SeriesChart(props: SeriesChartProps) {
  const { series, rows, axisFormat, ticks, extraColumns = [], integers = false, ...frame } = props;
  const byKey = new Map(series.map((s) => [s.key, s]));
  // Tooltip and legend list the series in the order given (the library would sort them by name).
  const order = new Map(series.map((s, i) => [s.key, i]));
  const inOrder = (item: { dataKey?: unknown }) => order.get(String(item.dataKey)) ?? 0;
  const hasNegative = rows.some((r) => series.some((s) => Number(r[s.key]) < 0));
  // Nothing but zeros: one tick at zero, on the floor of the chart (the library would spread a
  // scale of a few minor units up the side, each reading "$0").
  const allZero = rows.every((r) => series.every((s) => !Number(r[s.key])));
  return (
    <ChartFigure
      {...frame}
      empty={rows.length === 0}
      table={{ rowHeader: 'Month', columns: [...series, ...extraColumns], rows }}
    >
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart
          data={rows}
          stackOffset="sign"
          margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
          title={props.title}
          desc={props.description}
        >
          <CartesianGrid stroke="#e5e7eb" vertical={false} />
          <XAxis
            dataKey={ticks?.key ?? 'label'}
            tickFormatter={ticks ? (v) => ticks.format(String(v)) : undefined}
            tick={{ fill: '#4f5661', fontSize: 12 }}
            tickLine={false}
            minTickGap={12}
          />
          <YAxis
            {...(allZero ? { ticks: [0], domain: [0, 1] } : {})}
            tickFormatter={axisFormat}
            allowDecimals={!integers}
            tick={{ fill: '#4f5661', fontSize: 12 }}
            tickLine={false}
            axisLine={false}
            width={64}
          />
          {hasNegative && <ReferenceLine y={0} stroke="#6b7280" />}
          <Tooltip
            formatter={(value, name, item) => {
              const s = byKey.get(String(item.dataKey));
              return [s ? s.format(Number(value)) : String(value), name];
            }}
            itemSorter={inOrder}
            labelFormatter={(label, payload) => String(payload?.[0]?.payload?.label ?? label)}
            cursor={{ fill: 'rgba(31, 79, 209, 0.08)' }}
          />
          <Legend wrapperStyle={{ fontSize: 13 }} itemSorter={inOrder} />
          {series.map((s) =>
            s.kind === 'bar' ? (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.name}
                fill={s.color}
                stackId={s.stack}
                isAnimationActive={false}
                maxBarSize={36}
              />
            ) : (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stroke={s.color}
                strokeWidth={2.5}
                strokeDasharray={s.dashed ? '6 4' : undefined}
                dot={{ r: 3 }}
                type="linear"
                isAnimationActive={false}
                connectNulls
              />
            ),
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
