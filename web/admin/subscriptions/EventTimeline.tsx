import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../src/api/client.js';
import { formatDateTime } from '../../src/format.js';
import { useApi } from '../app/session.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { Pager, useCursorPager } from '../components/Pager.js';

/** Every webhook and Recur event about one Stripe object, newest first, from the event log. */
export function EventTimeline({ objectId }: { objectId: string }) {
  const api = useApi();
  const pager = useCursorPager();
  const query = { object_id: objectId, limit: 20, ...(pager.cursor ? { cursor: pager.cursor } : {}) };
  const events = useQuery({
    queryKey: ['events', query],
    queryFn: () => unwrap(api.GET('/api/admin/events', { params: { query } })),
  });
  return (
    <section aria-labelledby="timeline-title" className="card">
      <h2 id="timeline-title">Event timeline</h2>
      <ErrorAlert error={events.error} />
      {events.isPending ? (
        <Loading what="events" />
      ) : events.data?.data.length ? (
        <ol className="timeline">
          {events.data.data.map((e) => (
            <li key={e.id}>
              <time dateTime={e.occurred_at}>{formatDateTime(e.occurred_at)}</time> <code>{e.type}</code>{' '}
              <span className={`badge ${e.status}`}>{e.status}</span>
              {e.last_error && <span className="error-text"> {e.last_error}</span>}
            </li>
          ))}
        </ol>
      ) : (
        <Empty>No events about this subscription yet.</Empty>
      )}
      <Pager pager={pager} nextCursor={events.data?.next_cursor} label="Timeline" />
    </section>
  );
}
