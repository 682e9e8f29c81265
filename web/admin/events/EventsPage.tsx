import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { idempotency, useApi } from '../app/session.js';
import type { EventRow, EventStatus } from '../app/types.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { Filters, SelectFilter, TextFilter } from '../components/Filters.js';
import { Pager, useCursorPager } from '../components/Pager.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';
import { EventTable } from './EventTable.js';

const STATUSES = ['received', 'processing', 'processed', 'failed', 'dead', 'ignored', 'discarded'] as const;

/** The webhook log: every event with its status and last error; dead letters can be replayed. */
export function EventsPage() {
  const api = useApi();
  const pager = useCursorPager();
  const [status, setStatus] = useState<EventStatus | ''>('');
  const [type, setType] = useState('');
  const [objectId, setObjectId] = useState('');
  const query = {
    ...(status ? { status } : {}),
    ...(type.trim() ? { type: type.trim() } : {}),
    ...(objectId.trim() ? { object_id: objectId.trim() } : {}),
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
    limit: 25,
  };
  const stats = useQuery({
    queryKey: ['events', 'stats'],
    queryFn: () => unwrap(api.GET('/api/admin/events/stats')),
    refetchInterval: 5_000,
  });
  const list = useQuery({
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
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      pager.reset();
    };

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
          onChange={reset<EventStatus | ''>(setStatus)}
        />
        <TextFilter label="Type" value={type} placeholder="invoice.*" onChange={reset(setType)} />
        <TextFilter label="Object id" value={objectId} placeholder="sub_…" onChange={reset(setObjectId)} />
      </Filters>
      <ErrorAlert error={list.error ?? stats.error} />
      {list.isPending ? (
        <Loading what="events" />
      ) : list.data?.data.length ? (
        <EventTable events={list.data.data} onReplay={replayOne.open} onDiscard={discardOne.open} />
      ) : (
        <Empty>No events match.</Empty>
      )}
      <Pager pager={pager} nextCursor={list.data?.next_cursor} label="Event list" />
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
