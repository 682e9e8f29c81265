import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationError } from '../http/errors.js';
import { dateTime, text } from '../http/input.js';
import { cursorParam, decodeCursor, encodeCursor } from '../http/pagination.js';
import { errorResponses } from '../http/schemas.js';
import type { AuditFilter } from './repository.js';
import { type AuditTrail, toAuditView } from './trail.js';

const filterQuery = z.object({
  actor_id: text(200).optional().describe('An API key id or a user id'),
  actor_type: z.enum(['api_key', 'user', 'system']).optional(),
  action: text(100).optional().describe('Exact action, such as plan.update'),
  object_type: text(100).optional(),
  object_id: text(200).optional(),
  from: dateTime().optional().describe('At or after (ISO 8601)'),
  to: dateTime().optional().describe('At or before (ISO 8601)'),
});

const auditRowView = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({
    type: z.enum(['api_key', 'user', 'system']),
    id: z.string().nullable().describe('The API key id or the user id; null for Recur itself'),
    role: z.string().nullable(),
    cause: z.string().nullable().describe('Why Recur wrote on its own (system rows)'),
  }),
  action: z.string(),
  object_type: z.string(),
  object_id: z.string().nullable(),
  before: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('The changed fields before; personal data redacted'),
  after: z.record(z.string(), z.unknown()).nullable(),
  outcome: z.enum(['succeeded', 'failed']),
  error: z.string().nullable(),
  request_id: z.string().nullable(),
  client_address: z.string().nullable(),
  hash: z.string(),
});

function toFilter(q: z.infer<typeof filterQuery>): AuditFilter {
  if (q.from && q.to && new Date(q.from) > new Date(q.to))
    throw new ValidationError('invalid_date_range', 'from must not be after to');
  return {
    actorId: q.actor_id,
    actorType: q.actor_type,
    action: q.action,
    objectType: q.object_type,
    objectId: q.object_id,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
  };
}

const admin = ['admin'] as const;
const tags = ['audit'];

export function auditRoutes(trail: AuditTrail): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/admin/audit',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'The audit trail: every write, who made it and what changed, newest first',
          querystring: filterQuery.extend({
            limit: z.coerce.number().int().min(1).max(100).default(25),
            cursor: cursorParam(),
          }),
          response: {
            200: z.object({ data: z.array(auditRowView), next_cursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { limit, cursor, ...filter } = request.query;
        const rows = await trail.list(toFilter(filter), {
          limit,
          after: cursor ? decodeCursor(cursor) : undefined,
        });
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          data: page.map(toAuditView),
          next_cursor: rows.length > limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
        };
      },
    );

    app.get(
      '/api/admin/audit/export',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'The audit trail as CSV (RFC 4180), oldest first, streamed; the same filters as the list',
          querystring: filterQuery,
          produces: ['text/csv'],
          response: { 200: z.any().describe('CSV, one line per row'), ...errorResponses },
        },
      },
      async (request, reply) => {
        const stream = trail.exportCsv(toFilter(request.query));
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="audit.csv"');
        return reply.send(stream);
      },
    );
  };
}
