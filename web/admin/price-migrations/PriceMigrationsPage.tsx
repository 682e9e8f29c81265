import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { useAllPlans } from '../app/catalog.js';
import { idempotency, useApi } from '../app/session.js';
import type { PriceMigration, PriceMigrationTiming } from '../app/types.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';
import { DryRunResult } from './DryRunResult.js';
import { awaitsRenewals, timingLabel } from './labels.js';
import { MigrationList } from './MigrationList.js';
import { MigrationProgress } from './MigrationProgress.js';
import { PriceChoice } from './PriceChoice.js';

/**
 * How often the list is asked again: every 2 s while a migration runs; every 10 s while a finished
 * one still waits for renewals (they arrive with Stripe's webhooks, at each subscription's renewal),
 * so a page left open shows them; not at all otherwise.
 */
function listRefresh(migrations: PriceMigration[]): number | false {
  if (migrations.some((m) => m.status === 'running')) return 2_000;
  if (migrations.some(awaitsRenewals)) return 10_000;
  return false;
}

/** Moving existing subscribers from old prices to a new one: dry run, start, progress, past runs, undo. */
export function PriceMigrationsPage() {
  const api = useApi();
  const [from, setFrom] = useState<string[]>([]);
  const [to, setTo] = useState('');
  const [timing, setTiming] = useState<PriceMigrationTiming>('renewal');
  const [notify, setNotify] = useState(true);
  const [watching, setWatching] = useState<string | null>(null);
  const request = { from_price_ids: from, to_price_id: to, timing };

  const plans = useAllPlans();
  const migrations = useQuery({
    queryKey: ['price-migrations'],
    queryFn: () => unwrap(api.GET('/api/admin/price-migrations', { params: { query: { limit: 50 } } })),
    refetchInterval: (q) => listRefresh(q.state.data?.data ?? []),
  });
  const dryRun = useMutation({
    mutationFn: (body: typeof request) => unwrap(api.POST('/api/admin/price-migrations/dry-run', { body })),
  });
  const start = useConfirmedAction(
    (body: typeof request & { notify_customers: boolean }) =>
      unwrap(api.POST('/api/admin/price-migrations', { body, ...idempotency() })),
    {
      invalidate: [['price-migrations']],
      onSuccess: (started) => {
        setWatching(started.id);
        dryRun.reset();
      },
    },
  );
  const undo = useConfirmedAction(
    (m: PriceMigration) =>
      unwrap(
        api.POST('/api/admin/price-migrations/{id}/undo', {
          params: { path: { id: m.id } },
          ...idempotency(),
        }),
      ),
    { invalidate: [['price-migrations']] },
  );
  const changed = () => dryRun.reset();
  const plan = dryRun.data;

  return (
    <section aria-labelledby="migrations-title">
      <h1 id="migrations-title">Price migrations</h1>
      <ErrorAlert error={plans.error} />
      <form
        className="card"
        aria-label="New price migration"
        onSubmit={(e) => {
          e.preventDefault();
          dryRun.mutate(request);
        }}
      >
        <h2>New migration</h2>
        {plans.isPending ? (
          <Loading what="prices" />
        ) : (
          <PriceChoice
            plans={plans.data?.data ?? []}
            from={from}
            to={to}
            onFrom={(ids) => {
              setFrom(ids);
              changed();
            }}
            onTo={(id) => {
              setTo(id);
              changed();
            }}
          />
        )}
        <div className="filters">
          <label>
            When
            <select
              value={timing}
              onChange={(e) => {
                setTiming(e.target.value as PriceMigrationTiming);
                changed();
              }}
            >
              {(['renewal', 'now_prorated', 'now_unprorated'] as const).map((t) => (
                <option key={t} value={t}>
                  {timingLabel(t)}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} /> Email
            each customer about the change
          </label>
          <button type="submit" disabled={!from.length || !to || dryRun.isPending}>
            {dryRun.isPending ? 'Working…' : 'Dry run'}
          </button>
        </div>
        <ErrorAlert error={dryRun.error} />
      </form>
      {plan && (
        <>
          <DryRunResult plan={plan} />
          <p>
            <button
              type="button"
              className="primary"
              onClick={() => start.open({ ...request, notify_customers: notify })}
            >
              Start migration
            </button>
          </p>
        </>
      )}
      {watching && <MigrationProgress id={watching} />}
      <h2>Past migrations</h2>
      <ErrorAlert error={migrations.error} />
      <ErrorAlert error={undo.target ? null : undo.error} />
      {migrations.isPending ? (
        <Loading what="price migrations" />
      ) : migrations.data?.data.length ? (
        <MigrationList migrations={migrations.data.data} onWatch={setWatching} onUndo={undo.open} />
      ) : (
        <Empty>No price migration has run yet.</Empty>
      )}
      {start.target && plan && (
        <ConfirmDialog
          title={`Move ${plan.subscriptions} subscriptions to the new price?`}
          confirmLabel="Start migration"
          busy={start.busy}
          error={start.error}
          onConfirm={start.confirm}
          onClose={start.close}
        >
          <p>
            {timingLabel(start.target.timing)};{' '}
            {start.target.notify_customers ? 'each customer is emailed.' : 'no customer is emailed.'}
          </p>
        </ConfirmDialog>
      )}
      {undo.target && (
        <ConfirmDialog
          title="Undo this migration?"
          confirmLabel="Undo migration"
          danger
          busy={undo.busy}
          error={undo.error}
          onConfirm={undo.confirm}
          onClose={undo.close}
        >
          <p>
            Subscriptions that have not renewed yet stay on their old price; those that renewed keep the new
            one.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
