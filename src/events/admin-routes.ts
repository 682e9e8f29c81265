import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/client.js';
import { EVENT_STATUSES } from '../db/schema/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import { dateTime, idParams, text } from '../http/input.js';
import { cursorParam } from '../http/pagination.js';
import { errorResponses } from '../http/schemas.js';
import { nextSortCursor, sortQueryFields } from '../http/sorting.js';
import type { EventQueue } from '../queue/port.js';
import type { PiiCipher } from '../shared/crypto.js';
import { EVENT_SORTS, type EventFilter, eventSortColumns, eventRepository as repo } from './repository.js';

const filterQuery = z.object({
  type: text(200).optional().describe('Exact type, or a prefix ending in * (invoice.*)'),
  status: z.enum(EVENT_STATUSES).optional(),
  object_id: text(200).optional(),
  source: z.enum(['stripe', 'payment_provider', 'recur']).optional(),
  from: dateTime().optional().describe('Received at or after (ISO 8601)'),
  to: dateTime().optional(),
});

const eventSummary = z.object({
  id: z.string(),
  source: z.string(),
  external_id: z.string(),
  type: z.string(),
  object_id: z.string().nullable(),
  object_type: z.string().nullable(),
  occurred_at: z.string(),
  received_at: z.string(),
  status: z.enum(EVENT_STATUSES),
  attempts: z.number().int(),
  next_attempt_at: z.string(),
  processed_at: z.string().nullable(),
  last_error: z.string().nullable(),
});

type SummaryRow = Awaited<ReturnType<typeof repo.list>>[number];

function toSummary(row: SummaryRow): z.infer<typeof eventSummary> {
  return {
    id: row.id,
    source: row.source,
    external_id: row.externalId,
    type: row.type,
    object_id: row.objectId,
    object_type: row.objectType,
    occurred_at: row.occurredAt.toISOString(),
    received_at: row.receivedAt.toISOString(),
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.nextAttemptAt.toISOString(),
    processed_at: row.processedAt?.toISOString() ?? null,
    last_error: row.lastError,
  };
}

function toFilter(q: z.infer<typeof filterQuery>): EventFilter {
  if (q.from && q.to && new Date(q.from) > new Date(q.to))
    throw new ValidationError('invalid_date_range', 'from must not be after to');
  return {
    type: q.type,
    status: q.status,
    objectId: q.object_id,
    source: q.source,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
  };
}

const admin = ['admin'] as const;
const tags = ['events'];

export function eventAdminRoutes(deps: {
  db: Db;
  cipher: PiiCipher;
  queue: EventQueue;
}): FastifyPluginAsyncZod {
  const wake = async (ids: string[]) => {
    for (const id of ids.slice(0, 1000)) await deps.queue.publish(id).catch(() => {});
  };
  /** Requeues the events and records it with them; a replay that matched nothing changed nothing. */
  const replay = (filter: EventFilter & { ids?: string[] }, objectId: string | null) =>
    deps.db.transaction(async (tx) => {
      const ids = await repo.requeue(tx, filter);
      if (ids.length)
        await recordAudit(tx, {
          action: 'event.replay',
          objectType: 'event',
          objectId,
          after: { filter, replayed: ids.length },
        });
      return ids;
    });
  return async (app) => {
    app.get(
      '/api/admin/events',
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            'The webhook log: events with their processing status, newest received first (or sorted by `sort`/`order`)',
          querystring: filterQuery.extend({
            limit: z.coerce.number().int().min(1).max(100).default(25),
            cursor: cursorParam(),
            ...sortQueryFields(EVENT_SORTS, 'received'),
          }),
          response: {
            200: z.object({ data: z.array(eventSummary), next_cursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { limit, cursor, sort: key, order, ...filter } = request.query;
        const sort = { key, order };
        const rows = await repo.list(deps.db, toFilter(filter), { limit, sort, cursor });
        return {
          data: rows.slice(0, limit).map(toSummary),
          next_cursor: nextSortCursor(eventSortColumns, rows, limit, sort),
        };
      },
    );

    app.get(
      '/api/admin/events/stats',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Counts by status (dead letters included) and the queue lag',
          response: {
            200: z.object({
              by_status: z.record(z.string(), z.number()),
              dead: z.number(),
              lag_seconds: z.number(),
            }),
            ...errorResponses,
          },
        },
      },
      async () => {
        const byStatus = await repo.countByStatus(deps.db);
        const oldest = await repo.oldestWaiting(deps.db);
        return {
          by_status: byStatus,
          dead: byStatus.dead ?? 0,
          lag_seconds: oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0,
        };
      },
    );

    app.get(
      '/api/admin/events/:id',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'One event with its payload and every processing attempt',
          params: idParams,
          response: {
            200: eventSummary.extend({
              payload: z.unknown(),
              attempts_log: z.array(
                z.object({
                  attempt: z.number(),
                  started_at: z.string(),
                  finished_at: z.string(),
                  outcome: z.string(),
                  error: z.string().nullable(),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const row = await repo.findById(deps.db, request.params.id);
        if (!row) throw new NotFoundError('Event', request.params.id);
        const attempts = await repo.attempts(deps.db, row.id);
        return {
          ...toSummary(row),
          payload: deps.cipher.decryptJson(row.payload),
          attempts_log: [
            ...attempts.map((a) => ({
              attempt: a.attempt,
              started_at: a.startedAt.toISOString(),
              finished_at: a.finishedAt.toISOString(),
              outcome: a.outcome,
              error: a.error,
            })),
            // The attempt that succeeded lives on the event row, not in the failures table.
            ...(row.processedAt
              ? [
                  {
                    attempt: row.attempts,
                    started_at: row.processedAt.toISOString(),
                    finished_at: row.processedAt.toISOString(),
                    outcome: row.status,
                    error: null,
                  },
                ]
              : []),
          ],
        };
      },
    );

    app.post(
      '/api/admin/events/:id/replay',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Process one event again (a dead letter, or any other)',
          params: idParams,
          response: { 202: z.object({ replayed: z.number() }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ids = await replay({ ids: [request.params.id] }, request.params.id);
        if (ids.length === 0) throw new NotFoundError('Event', request.params.id);
        await wake(ids);
        return reply.status(202).send({ replayed: ids.length });
      },
    );

    app.post(
      '/api/admin/events/:id/discard',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Set a dead letter aside without applying it (it stays in the log, and can be replayed)',
          params: idParams,
          response: { 200: z.object({ discarded: z.literal(true) }), ...errorResponses },
        },
      },
      async (request) => {
        const { id } = request.params;
        await deps.db.transaction(async (tx) => {
          const before = await repo.discard(tx, id);
          if (!before) throw new NotFoundError('Event', id);
          if (before.status !== 'dead')
            throw new ConflictError(
              'event_not_dead',
              `Only a dead letter can be discarded; this event is ${before.status}`,
            );
          await recordAudit(tx, {
            action: 'event.discard',
            objectType: 'event',
            objectId: id,
            before: { status: 'dead' },
            after: { status: 'discarded' },
          });
        });
        return { discarded: true as const };
      },
    );

    app.post(
      '/api/admin/events/replay',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Process again every event matching a filter (at least one criterion required)',
          body: filterQuery.strict(),
          response: { 202: z.object({ replayed: z.number() }), ...errorResponses },
        },
      },
      async (request, reply) => {
        if (Object.values(request.body).every((v) => v === undefined)) {
          throw new ValidationError(
            'filter_required',
            'Give at least one of type, status, object_id, source, from, to',
          );
        }
        const ids = await replay(toFilter(request.body), null);
        await wake(ids);
        return reply.status(202).send({ replayed: ids.length });
      },
    );
  };
}
