import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { useApi } from '../app/session.js';
import type { AlertRules } from '../app/types.js';
import { ErrorAlert, Loading } from '../components/ErrorAlert.js';

type RuleName = keyof AlertRules;

const RULES: Record<RuleName, { title: string; fields: Record<string, string> }> = {
  dead_letters: { title: 'Dead-lettered events', fields: { min_count: 'Dead events' } },
  signature_failures: {
    title: 'Webhook signature failures',
    fields: { count: 'Refused requests', window_seconds: 'Within seconds' },
  },
  processing_lag: { title: 'Event processing lag', fields: { seconds: 'Oldest waiting, seconds' } },
  sync_failed: { title: 'Sync from Stripe failed', fields: {} },
  payment_failure_rate: {
    title: 'Failed-payment rate above usual',
    fields: {
      window_hours: 'Window, hours',
      baseline_days: 'Usual rate over, days',
      min_attempts: 'Attempts needed',
      factor: 'Times the usual rate',
      min_rate: 'At least (0.1 = 10%)',
    },
  },
  dispute: { title: 'Payment disputed', fields: { lookback_days: 'Disputes opened within, days' } },
  app_webhook_failing: { title: 'Webhook endpoint failing', fields: { minutes: 'Failing for, minutes' } },
};

/** One rule's thresholds as a form: saved for every instance, used from the next evaluation. */
function RuleForm({ name, rule }: { name: RuleName; rule: Record<string, number | boolean> }) {
  const api = useApi();
  const client = useQueryClient();
  const words = RULES[name];
  const [values, setValues] = useState(() =>
    Object.fromEntries(Object.keys(words.fields).map((field) => [field, String(rule[field])])),
  );
  const [enabled, setEnabled] = useState(rule.enabled === true);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/admin/alerts/rules', {
          body: {
            [name]: {
              enabled,
              ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number(v)])),
            },
          },
        }),
      ),
    onSuccess: (saved) => client.setQueryData(['alerts', 'rules'], saved),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="rule" aria-label={words.title} onSubmit={submit}>
      <h3>{words.title}</h3>
      <label>
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> On
      </label>
      {Object.entries(words.fields).map(([field, label]) => (
        <label key={field}>
          {label}{' '}
          <input
            type="number"
            step="any"
            value={values[field]}
            onChange={(e) => setValues({ ...values, [field]: e.target.value })}
          />
        </label>
      ))}
      <button type="submit" disabled={save.isPending}>
        Save
      </button>
      {save.isSuccess && <span role="status"> Saved.</span>}
      <ErrorAlert error={save.error} />
    </form>
  );
}

export function AlertRulesCard() {
  const api = useApi();
  const rules = useQuery({
    queryKey: ['alerts', 'rules'],
    queryFn: () => unwrap(api.GET('/api/admin/alerts/rules')),
  });
  return (
    <section className="card" aria-labelledby="alert-rules-title">
      <h2 id="alert-rules-title">Rules</h2>
      <ErrorAlert error={rules.error} />
      {rules.isPending && <Loading what="rules" />}
      {rules.data &&
        (Object.keys(RULES) as RuleName[]).map((name) => (
          <RuleForm key={name} name={name} rule={rules.data[name] as Record<string, number | boolean>} />
        ))}
    </section>
  );
}
