import { type MonthRange, PRESETS, type Preset, rangeProblem } from './range.js';

export interface ControlsProps {
  preset: Preset;
  onPreset(preset: Preset): void;
  custom: MonthRange;
  onCustom(range: MonthRange): void;
  planId: string;
  plans: Array<{ id: string; name: string }>;
  onPlan(planId: string): void;
  currency: string;
  currencies: string[];
  onCurrency(currency: string): void;
}

/** The range (a preset or custom months), the plan and the currency every figure below is for. */
export function Controls(props: ControlsProps) {
  const problem = props.preset === 'custom' ? rangeProblem(props.custom) : null;
  return (
    <form className="dashboard-controls" aria-label="Dashboard filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Date range
        <select value={props.preset} onChange={(e) => props.onPreset(e.target.value as Preset)}>
          {PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      {props.preset === 'custom' && (
        <>
          <label>
            From
            <input
              type="month"
              value={props.custom.from}
              aria-invalid={problem !== null}
              onChange={(e) => props.onCustom({ ...props.custom, from: e.target.value })}
            />
          </label>
          <label>
            To
            <input
              type="month"
              value={props.custom.to}
              aria-invalid={problem !== null}
              onChange={(e) => props.onCustom({ ...props.custom, to: e.target.value })}
            />
          </label>
        </>
      )}
      <label>
        Plan
        <select value={props.planId} onChange={(e) => props.onPlan(e.target.value)}>
          <option value="">All plans</option>
          {props.plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Currency
        <select value={props.currency} onChange={(e) => props.onCurrency(e.target.value)}>
          {props.currencies.map((c) => (
            <option key={c} value={c}>
              {c.toUpperCase()}
            </option>
          ))}
        </select>
      </label>
      {problem && (
        <p role="alert" className="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
