import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateTime, idText } from '../http/input.js';
import { errorResponses, upstreamErrorResponses } from '../http/schemas.js';
import type { Metering } from './meter-compose.js';

const admin = ['admin'] as const;
const tags = ['usage'];

const runView = z.object({
  collected: z
    .union([z.number().int(), z.literal('busy')])
    .describe(
      'Reports recorded (one per payer and feature with new overage); busy: another process collects',
    ),
  sent: z.number().int().describe('Meter events Stripe accepted'),
  failed: z.number().int().describe('Meter events refused or failed, retried with backoff'),
});

const total = z.object({
  payer_kind: z.enum(['user', 'organization']),
  payer_id: z.string(),
  feature: z.string(),
  stripe_customer_id: z.string(),
  stripe_meter_id: z.string().nullable(),
  period_start: z.string(),
  period_end: z.string().nullable(),
  reported: z.number().describe('Units Recur sent to the meter for the period'),
  pending: z.number().describe('Units recorded, not yet sent'),
  stripe: z.number().nullable().describe("The meter's sum for the customer over the period"),
  difference: z.number().nullable().describe('stripe − reported'),
});

const reconcileView = z.object({
  checked_at: z.string(),
  equal: z.boolean(),
  data: z.array(total),
  differences: z.array(total),
});

const reconcileQuery = z
  .object({
    user_id: idText().optional(),
    organization_id: idText().optional(),
    feature: idText(64).optional(),
    since: dateTime().optional().describe('Periods starting at or after; default 90 days ago'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((q) => !(q.user_id && q.organization_id), { message: 'give user_id or organization_id, not both' });

const DAY_MS = 86_400_000;

export function meterRoutes(metering: Metering): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/admin/usage/report',
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            'Report overage to Stripe now: record what counters owe the meters and send what is pending (the scheduled reporter does the same)',
          response: { 200: runView, ...upstreamErrorResponses },
        },
      },
      () => metering.flush(),
    );

    app.get(
      '/api/admin/usage/reconcile',
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            "Compare what Recur reported per payer, meter and period with Stripe's meter event summaries, and list the differences",
          querystring: reconcileQuery,
          response: { 200: reconcileView, ...errorResponses, ...upstreamErrorResponses },
        },
      },
      (request) => {
        const q = request.query;
        return metering.reconcile({
          payerKind: q.user_id ? 'user' : q.organization_id ? 'organization' : undefined,
          payerId: q.user_id ?? q.organization_id,
          feature: q.feature,
          since: q.since ? new Date(q.since) : new Date(Date.now() - 90 * DAY_MS),
          limit: q.limit,
        });
      },
    );
  };
}
