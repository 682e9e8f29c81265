import type { ReactNode } from 'react';

/** A row of list filters; each control carries its own label. */
export function Filters({ label, children }: { label: string; children: ReactNode }) {
  return (
    <search className="filters" aria-label={label}>
      {children}
    </search>
  );
}

export function SelectFilter<T extends string>(props: {
  label: string;
  value: T | '';
  options: readonly T[];
  onChange(value: T | ''): void;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value as T | '')}>
        <option value="">Any</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
    </label>
  );
}

export function TextFilter(props: {
  label: string;
  value: string;
  placeholder?: string;
  onChange(value: string): void;
}) {
  return (
    <label>
      {props.label}
      <input
        type="search"
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}

/** A creation-date range as the list routes take it: whole UTC days, both ends included. */
export function DateRangeFilter(props: {
  label: string;
  from: string;
  to: string;
  onChange(range: { from: string; to: string }): void;
}) {
  return (
    <>
      <label>
        {props.label} from
        <input
          type="date"
          value={props.from}
          onChange={(e) => props.onChange({ from: e.target.value, to: props.to })}
        />
      </label>
      <label>
        {props.label} to
        <input
          type="date"
          value={props.to}
          onChange={(e) => props.onChange({ from: props.from, to: e.target.value })}
        />
      </label>
    </>
  );
}

/** A date range as a list route's `created_from`/`created_to` (whole UTC days, both ends included). */
export function dateRangeQuery(range: { from: string; to: string }): {
  created_from?: string;
  created_to?: string;
} {
  return {
    ...(range.from ? { created_from: `${range.from}T00:00:00.000Z` } : {}),
    ...(range.to ? { created_to: `${range.to}T23:59:59.999Z` } : {}),
  };
}
