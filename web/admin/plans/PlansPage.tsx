import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { useApi } from '../app/session.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { SlicePager, useSlicePager } from '../components/Pager.js';
import { PlanCard } from './PlanCard.js';
import { PlanForm } from './PlanForm.js';

type Status = 'active' | 'archived' | 'all';

/** The catalog: plans with their prices and benefits; the API returns it whole, paged here. */
export function PlansPage() {
  const api = useApi();
  const [status, setStatus] = useState<Status>('active');
  const [creating, setCreating] = useState(false);
  const plans = useQuery({
    queryKey: ['plans', status],
    queryFn: () => unwrap(api.GET('/api/plans', { params: { query: { status } } })),
  });
  const { rows, controls } = useSlicePager(plans.data?.data, 10);

  return (
    <section aria-labelledby="plans-title">
      <div className="page-head">
        <h1 id="plans-title">Plans</h1>
        <label>
          Show{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as Status)}>
            <option value="active">Active</option>
            <option value="archived">Archived</option>
            <option value="all">All</option>
          </select>
        </label>
        {!creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New plan
          </button>
        )}
      </div>
      {creating && <PlanForm onDone={() => setCreating(false)} />}
      <ErrorAlert error={plans.error} />
      {plans.isPending ? (
        <Loading what="plans" />
      ) : rows?.length ? (
        <ul className="cards" aria-label="Plans">
          {rows.map((plan) => (
            <PlanCard key={plan.id} plan={plan} />
          ))}
        </ul>
      ) : (
        <Empty>No plans here yet.</Empty>
      )}
      <SlicePager controls={controls} label="Plan list" />
    </section>
  );
}
