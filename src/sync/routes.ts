import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationError } from '../http/errors.js';
import { idParams, text } from '../http/input.js';
import { errorResponses, upstreamErrorResponses } from '../http/schemas.js';
import type { SettingsService } from '../settings/service.js';
import { parseSyncObjects, SYNC_OBJECTS } from './objects.js';
import type { ReconcileReport } from './reconcile.js';
import type { SyncRunRow } from './repository.js';
import { nextRunAt } from './scheduler.js';
import type { SyncService } from './service.js';

const counts = z.object({
  seen: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
});

const runView = z.object({
  id: z.string(),
  mode: z.enum(['full', 'incremental']),
  trigger: z.enum(['schedule', 'manual', 'cli']),
  objects: z.array(z.string()),
  status: z.enum(['running', 'succeeded', 'failed', 'interrupted']),
  counts: z
    .record(z.string(), counts)
    .describe('Per object type: seen, created, updated, skipped (not newer than the mirror)'),
  since: z.string().nullable().describe('Incremental runs list history created at or after this time'),
  error: z.string().nullable(),
  started_at: z.string(),
  heartbeat_at: z.string(),
  finished_at: z.string().nullable(),
  duration_seconds: z.number(),
});

const statusView = z.object({
  data: z.array(runView),
  schedule: z.object({
    auto_sync_enabled: z.boolean(),
    interval_seconds: z.number().int(),
    next_run_at: z.string().nullable().describe('Null while auto sync is off'),
  }),
});

const startBody = z
  .object({
    mode: z.enum(['full', 'incremental']).default('full'),
    objects: z.array(z.enum(SYNC_OBJECTS)).min(1).optional().describe('Default: every type'),
  })
  .strict()
  .default({ mode: 'full' });

const checkQuery = z.object({
  objects: text(500)
    .optional()
    .describe(`Comma-separated, default every type: ${SYNC_OBJECTS.join(',')}`),
});

const reportView = z.object({
  checked_at: z.string(),
  equal: z.boolean(),
  objects: z.record(
    z.string(),
    z.object({
      stripe: z.number(),
      mirror: z.number(),
      missing: z.number(),
      extra: z.number(),
      different: z.number(),
    }),
  ),
  differences: z.array(
    z.object({
      object: z.string(),
      id: z.string(),
      kind: z.enum(['missing', 'extra', 'different']),
      field: z.string().optional(),
      stripe: z.unknown().optional(),
      mirror: z.unknown().optional(),
      note: z.string().optional(),
    }),
  ),
  truncated: z.boolean(),
});

export function toRunView(run: SyncRunRow, now = new Date()): z.infer<typeof runView> {
  return {
    id: run.id,
    mode: run.mode,
    trigger: run.trigger,
    objects: run.objects,
    status: run.status,
    counts: run.counts,
    since: run.since?.toISOString() ?? null,
    error: run.error,
    started_at: run.startedAt.toISOString(),
    heartbeat_at: run.heartbeatAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? null,
    duration_seconds: ((run.finishedAt ?? now).getTime() - run.startedAt.getTime()) / 1000,
  };
}

export function toReportView(report: ReconcileReport): z.infer<typeof reportView> {
  return {
    checked_at: report.checkedAt.toISOString(),
    equal: Object.values(report.objects).every((o) => o.missing + o.extra + o.different === 0),
    objects: report.objects,
    differences: report.differences,
    truncated: report.truncated,
  };
}

const admin = ['admin'] as const;
const tags = ['sync'];

export function syncRoutes(deps: {
  syncs: SyncService;
  settings: SettingsService;
  intervalSeconds: number;
}): FastifyPluginAsyncZod {
  const { syncs } = deps;
  return async (app) => {
    app.get(
      '/api/admin/sync',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Recent sync runs (newest first) and when the next scheduled one is due',
          response: { 200: statusView, ...errorResponses },
        },
      },
      async () => {
        const [runs, settings] = await Promise.all([
          syncs.recent(20),
          deps.settings.current({ fresh: true }),
        ]);
        const latest = runs[0];
        return {
          data: runs.map((r) => toRunView(r)),
          schedule: {
            auto_sync_enabled: settings.autoSyncEnabled,
            interval_seconds: deps.intervalSeconds,
            next_run_at: settings.autoSyncEnabled
              ? nextRunAt(latest?.startedAt ?? null, deps.intervalSeconds).toISOString()
              : null,
          },
        };
      },
    );

    app.post(
      '/api/admin/sync',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary:
            'Start a backfill from Stripe; it runs in the background (poll GET /api/admin/sync/:id). 409 sync_running while one runs',
          body: startBody,
          response: { 202: runView, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { run } = await syncs.start({
          mode: request.body.mode,
          objects: request.body.objects,
          trigger: 'manual',
        });
        return reply.status(202).send(toRunView(run));
      },
    );

    app.get(
      '/api/admin/sync/check',
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            'Compare the mirror with Stripe and list every difference (changes nothing; emails and names are never shown)',
          querystring: checkQuery,
          response: { 200: reportView, ...upstreamErrorResponses },
        },
      },
      async (request) => {
        const { objects, unknown } = parseSyncObjects(request.query.objects ?? SYNC_OBJECTS.join(','));
        if (unknown.length || !objects.length) {
          throw new ValidationError(
            'unknown_sync_object',
            `Unknown object type(s): ${unknown.join(', ') || '(none given)'}`,
            {
              known: SYNC_OBJECTS,
            },
          );
        }
        return toReportView(await syncs.check(objects));
      },
    );

    app.get(
      '/api/admin/sync/:id',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'One sync run: status, counts per object type, error',
          params: idParams,
          response: { 200: runView, ...errorResponses },
        },
      },
      async (request) => toRunView(await syncs.get(request.params.id)),
    );
  };
}
