import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { toApiError, unwrap } from '../../src/api/client.js';
import { saveDownload } from '../../src/api/download.js';
import { useApi } from '../app/session.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { Filters, SelectFilter, TextFilter } from '../components/Filters.js';
import { Pager, useCursorPager } from '../components/Pager.js';
import { AuditTable } from './AuditTable.js';

const ACTOR_TYPES = ['api_key', 'user', 'system'] as const;

/** A day typed in a date field, as the instant it starts (`to`: the instant it ends), in UTC. */
const dayStart = (day: string) => (day ? `${day}T00:00:00.000Z` : undefined);
const dayEnd = (day: string) => (day ? `${day}T23:59:59.999Z` : undefined);

/** Every write, who made it and what it changed, newest first; filterable and exported as CSV. */
export function AuditPage() {
  const api = useApi();
  const pager = useCursorPager();
  const [actorType, setActorType] = useState<(typeof ACTOR_TYPES)[number] | ''>('');
  const [actorId, setActorId] = useState('');
  const [action, setAction] = useState('');
  const [objectId, setObjectId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filter = {
    ...(actorType ? { actor_type: actorType } : {}),
    ...(actorId.trim() ? { actor_id: actorId.trim() } : {}),
    ...(action.trim() ? { action: action.trim() } : {}),
    ...(objectId.trim() ? { object_id: objectId.trim() } : {}),
    ...(from ? { from: dayStart(from) } : {}),
    ...(to ? { to: dayEnd(to) } : {}),
  };
  const query = { ...filter, ...(pager.cursor ? { cursor: pager.cursor } : {}), limit: 25 };
  const list = useQuery({
    queryKey: ['audit', query],
    queryFn: () => unwrap(api.GET('/api/admin/audit', { params: { query } })),
  });
  const exportCsv = useMutation({
    mutationFn: async () => {
      const { data, error, response } = await api.GET('/api/admin/audit/export', {
        params: { query: filter },
        parseAs: 'blob',
      });
      if (!response.ok || error !== undefined) throw toApiError(response.status, error);
      saveDownload(data as Blob, response, 'audit.csv');
    },
  });
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      pager.reset();
    };

  return (
    <section aria-labelledby="audit-title">
      <div className="page-head">
        <h1 id="audit-title">Audit trail</h1>
        <button type="button" onClick={() => exportCsv.mutate()} disabled={exportCsv.isPending}>
          Export CSV
        </button>
      </div>
      <Filters label="Filter the audit trail">
        <SelectFilter
          label="Actor type"
          value={actorType}
          options={ACTOR_TYPES}
          onChange={reset<(typeof ACTOR_TYPES)[number] | ''>(setActorType)}
        />
        <TextFilter
          label="Actor id"
          value={actorId}
          placeholder="key_… or a user id"
          onChange={reset(setActorId)}
        />
        <TextFilter label="Action" value={action} placeholder="plan.update" onChange={reset(setAction)} />
        <TextFilter label="Object id" value={objectId} placeholder="plan_…" onChange={reset(setObjectId)} />
        <label>
          From
          <input type="date" value={from} onChange={(e) => reset(setFrom)(e.target.value)} />
        </label>
        <label>
          To
          <input type="date" value={to} onChange={(e) => reset(setTo)(e.target.value)} />
        </label>
      </Filters>
      <ErrorAlert error={list.error ?? exportCsv.error} />
      {list.isPending ? (
        <Loading what="the audit trail" />
      ) : list.data?.data.length ? (
        <AuditTable rows={list.data.data} />
      ) : (
        <Empty>No audit rows match.</Empty>
      )}
      <Pager pager={pager} nextCursor={list.data?.next_cursor} label="Audit trail" />
    </section>
  );
}
