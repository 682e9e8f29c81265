import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { idempotency, useApi } from '../app/session.js';
import type { EventRow, EventStatus } from '../app/types.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { DateRangeFilter, dateRangeQuery, Filters, SelectFilter, TextFilter } from '../components/Filters.js';
import { ListBody } from '../components/ListBody.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';
import { useListState } from '../components/useListState.js';
import { type EventSortKey, EventTable } from './EventTable.js';

const STATUSES = ['received', 'processing', 'processed', 'failed', 'dead', 'ignored', 'discarded'] as const;
const SOURCES = ['stripe', 'payment_provider', 'recur'] as const;

/**
 * The webhook log, newest received first (or by when it occurred): every event with its status and
 * last error; filtered by status, type, object, source and day received; dead letters can be replayed.
 */
export function EventsPage() {
  const api = useApi();
  const list = useListState<EventSortKey>('received');
  const [status, setStatus] = useState<EventStatus | ''>('');
  const [source, setSource] = useState<(typeof SOURCES)[number] | ''>('');
  const [type, setType] = useState('');
  const [objectId, setObjectId] = useState('');
  const [received, setReceived] = useState({ from: '', to: '' });
  const range = dateRangeQuery(received);
  const query = {
    ...(status ? { status } : {}),
    ...(source ? { source } : {}),
    ...(type.trim() ? { type: type.trim() } : {}),
    ...(objectId.trim() ? { object_id: objectId.trim() } : {}),
    ...(range.created_from ? { from: range.created_from } : {}),
    ...(range.created_to ? { to: range.created_to } : {}),
    ...list.query,
    limit: 25,
  };
  const stats = useQuery({
    queryKey: ['events', 'stats'],
    queryFn: () => unwrap(api.GET('/api/admin/events/stats')),
    refetchInterval: 5_000,
  });
  const page = useQuery({
    queryKey: ['events', query],
    queryFn: () => unwrap(api.GET('/api/admin/events', { params: { query } })),
    // A replayed event moves through received → processed within moments; follow it.
    refetchInterval: 3_000,
  });
  const invalidate = [['events']];
  const replayOne = useConfirmedAction(
    (event: EventRow) =>
      unwrap(
        api.POST('/api/admin/events/{id}/replay', { params: { path: { id: event.id } }, ...idempotency() }),
      ),
    { invalidate },
  );
  const discardOne = useConfirmedAction(
    (event: EventRow) =>
      unwrap(
        api.POST('/api/admin/events/{id}/discard', { params: { path: { id: event.id } }, ...idempotency() }),
      ),
    { invalidate },
  );
  const replayDead = useConfirmedAction(
    () => unwrap(api.POST('/api/admin/events/replay', { body: { status: 'dead' }, ...idempotency() })),
    { invalidate },
  );
  return (
    <section aria-labelledby="events-title">
      <div className="page-head">
        <h1 id="events-title">Events</h1>
        <button type="button" onClick={() => replayDead.open(undefined)} disabled={!stats.data?.dead}>
          Replay all dead letters
        </button>
      </div>
      {stats.data && (
        <ul className="tiles" aria-label="Event counts">
          {Object.entries(stats.data.by_status).map(([name, count]) => (
            <li key={name} className="tile">
              <span className="tile-label">{name}</span>
              <strong className="tile-value">{String(count)}</strong>
            </li>
          ))}
          <li className="tile">
            <span className="tile-label">Queue lag</span>
            <strong className="tile-value">{Math.round(stats.data.lag_seconds)} s</strong>
          </li>
        </ul>
      )}
      <Filters label="Filter events">
        <SelectFilter
          label="Status"
          value={status}
          options={STATUSES}
          onChange={list.filter<EventStatus | ''>(setStatus)}
        />
        <TextFilter label="Type" value={type} placeholder="invoice.*" onChange={list.filter(setType)} />
        <TextFilter
          label="Object id"
          value={objectId}
          placeholder="sub_…"
          onChange={list.filter(setObjectId)}
        />
        <SelectFilter
          label="Source"
          value={source}
          options={SOURCES}
          onChange={list.filter<(typeof SOURCES)[number] | ''>(setSource)}
        />
        <DateRangeFilter
          label="Received"
          from={received.from}
          to={received.to}
          onChange={list.filter(setReceived)}
        />
      </Filters>
      <ListBody what="events" list={page} error={stats.error} pager={list.pager} pagerLabel="Event list">
        {(rows) => (
          <EventTable
            events={rows}
            onReplay={replayOne.open}
            onDiscard={discardOne.open}
            sort={list.sort}
            onSort={list.setSort}
          />
        )}
      </ListBody>
      {replayOne.target && (
        <ConfirmDialog
          title={`Replay ${replayOne.target.type}?`}
          confirmLabel="Replay event"
          busy={replayOne.busy}
          error={replayOne.error}
          onConfirm={replayOne.confirm}
          onClose={replayOne.close}
        >
          <p>
            The worker applies this event again. Handlers are idempotent, so a processed event changes
            nothing.
          </p>
        </ConfirmDialog>
      )}
      {discardOne.target && (
        <ConfirmDialog
          title={`Discard ${discardOne.target.type}?`}
          confirmLabel="Discard event"
          busy={discardOne.busy}
          error={discardOne.error}
          onConfirm={discardOne.confirm}
          onClose={discardOne.close}
        >
          <p>
            The event is set aside without being applied: it stays in the log as discarded, no longer counts
            as a dead letter, and can still be replayed.
          </p>
        </ConfirmDialog>
      )}
      {replayDead.target !== null && (
        <ConfirmDialog
          title="Replay every dead letter?"
          confirmLabel="Replay all"
          busy={replayDead.busy}
          error={replayDead.error}
          onConfirm={replayDead.confirm}
          onClose={replayDead.close}
        >
          <p>{stats.data?.dead ?? 0} dead events go back to the worker.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
