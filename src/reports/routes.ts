import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ValidationError } from '../http/errors.js';
import { errorResponses } from '../http/schemas.js';
import { toCsv } from './csv.js';
import {
  arpuReport,
  churnReport,
  disputesReport,
  formatQuery,
  mrrReport,
  paymentsReport,
  reportQuery,
  retentionReport,
  revenueReport,
  subscriptionsReport,
  trialsReport,
} from './schemas.js';
import type { ReportService } from './service.js';

const admin = ['admin'] as const;
const tags = ['reports'];
type Row = Record<string, string | number | null>;

function wantsCsv(format: string | undefined): boolean {
  if (format === undefined || format === 'json') return false;
  if (format === 'csv') return true;
  throw new ValidationError('invalid_format', `format must be json or csv, got '${format}'`);
}

function sendCsv(reply: FastifyReply, name: string, columns: readonly string[], rows: Row[]) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .serializer((body: unknown) => body as string)
    .send(toCsv(columns, rows));
}

interface Report<S extends z.ZodType> {
  path: string;
  summary: string;
  response: S;
  produce: (query: z.infer<typeof reportQuery>) => Promise<z.infer<S>>;
  /** The CSV: one line per row, in these columns. */
  csv: { columns: readonly string[]; rows: (body: z.infer<S>) => Row[] };
}

/**
 * Admin reports, JSON or CSV (`?format=csv`). Filters: `from`/`to` months, `plan_id`, `currency`;
 * every bad one is a 400 with its own code. Amounts are integer minor units of their currency.
 */
export function reportRoutes(reports: ReportService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/reports/subscriptions',
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            'Active (incl. trialing) and cancelled subscriptions, active ones per plan; CSV: one line per plan',
          querystring: formatQuery,
          response: { 200: subscriptionsReport, ...errorResponses },
        },
      },
      async (request, reply) => {
        const csv = wantsCsv(request.query.format);
        const body = await reports.subscriptions();
        if (!csv) return body;
        return sendCsv(reply, 'subscriptions', ['plan_id', 'name', 'active_subscriptions'], body.plans);
      },
    );

    const report = <S extends z.ZodType>(r: Report<S>) =>
      app.get(
        r.path,
        {
          config: { access: admin },
          schema: {
            tags,
            summary: r.summary,
            querystring: reportQuery,
            response: { 200: r.response as z.ZodType<unknown>, ...errorResponses },
          },
        },
        async (request, reply) => {
          const csv = wantsCsv(request.query.format);
          const body = await r.produce(request.query);
          if (!csv) return body;
          return sendCsv(reply, r.path.split('/').at(-1)!, r.csv.columns, r.csv.rows(body));
        },
      );
    const monthColumns = (schema: { shape: { months: z.ZodArray<z.ZodObject> } }) =>
      Object.keys(schema.shape.months.element.shape);

    report({
      path: '/api/reports/mrr',
      summary:
        'MRR and ARR at each month’s end with its movements, per currency (normalised to a month, before discounts)',
      response: mrrReport,
      produce: (q) => reports.mrr(q),
      csv: { columns: monthColumns(mrrReport), rows: (b) => b.months },
    });
    report({
      path: '/api/reports/churn',
      summary: 'Logo and revenue churn rates by month, per currency',
      response: churnReport,
      produce: (q) => reports.churn(q),
      csv: { columns: monthColumns(churnReport), rows: (b) => b.months },
    });
    report({
      path: '/api/reports/arpu',
      summary:
        'ARPU (MRR per paying subscription at the range’s end) and LTV (ARPU over the monthly logo churn rate)',
      response: arpuReport,
      produce: (q) => reports.arpu(q),
      csv: { columns: Object.keys(arpuReport.shape.currencies.element.shape), rows: (b) => b.currencies },
    });
    report({
      path: '/api/reports/retention',
      summary: 'Cohorts by the month of their first payment: share still paying N months later',
      response: retentionReport,
      produce: (q) => reports.retention(q),
      csv: {
        columns: ['cohort', 'currency', 'subscriptions', 'months_after', 'active', 'share'],
        rows: (b) =>
          b.cohorts.flatMap(({ retention, ...cohort }) =>
            retention.map((point) => ({ ...cohort, ...point })),
          ),
      },
    });
    report({
      path: '/api/reports/revenue',
      summary:
        'Invoiced, collected and refunded by month, per currency (by plan: the subscription’s current plan)',
      response: revenueReport,
      produce: (q) => reports.revenue(q),
      csv: { columns: monthColumns(revenueReport), rows: (b) => b.months },
    });
    report({
      path: '/api/reports/payments',
      summary: 'Payment health by month: failed payment rate, recovery, time to recover, involuntary churn',
      response: paymentsReport,
      produce: (q) => reports.payments(q),
      csv: { columns: monthColumns(paymentsReport), rows: (b) => b.months },
    });
    report({
      path: '/api/reports/disputes',
      summary:
        'Disputes by the month they opened, per currency: count, rate against the month’s charges (networks warn at 0.9%), won and lost',
      response: disputesReport,
      produce: (q) => reports.disputes(q),
      csv: {
        columns: monthColumns(disputesReport),
        rows: (b) => b.months.map((m) => ({ ...m, over_warning_rate: String(m.over_warning_rate) })),
      },
    });
    report({
      path: '/api/reports/trials',
      summary: 'Trials by start month and how many converted to paying',
      response: trialsReport,
      produce: (q) => reports.trials(q),
      csv: { columns: monthColumns(trialsReport), rows: (b) => b.months },
    });
  };
}
