import { useQuery } from '@tanstack/react-query';
import type { Api } from '../../src/api/client.js';
import { toApiError, unwrap } from '../../src/api/client.js';
import { saveDownload } from '../../src/api/download.js';
import { useApi } from '../app/session.js';

/** The filters every report takes (README, Reports). */
export interface ReportQuery {
  from: string;
  to: string;
  currency?: string;
  plan_id?: string;
}

export type ReportName = 'mrr' | 'churn' | 'arpu' | 'retention' | 'revenue' | 'payments' | 'trials';

/** The figures move with every webhook: read them on each visit and every minute while shown. */
const FRESH = { staleTime: 0, refetchInterval: 60_000 } as const;

/** A report's CSV (the route's own `format=csv`), with the chart's filters, saved as a download. */
export async function downloadReport(api: Api, name: ReportName, query: ReportQuery): Promise<void> {
  const { data, error, response } = await api.GET(`/api/reports/${name}`, {
    params: { query: { ...query, format: 'csv' } },
    parseAs: 'blob',
  });
  if (!response.ok || error !== undefined) throw toApiError(response.status, error);
  saveDownload(data as Blob, response, `${name}.csv`);
}

/** The reports of one period, each a query of its own (cached by its filters). */
function useReportSet(query: ReportQuery, enabled: boolean) {
  const api = useApi();
  const on = { ...FRESH, enabled };
  const params = { params: { query } };
  return {
    mrr: useQuery({
      queryKey: ['reports', 'mrr', query],
      queryFn: () => unwrap(api.GET('/api/reports/mrr', params)),
      ...on,
    }),
    churn: useQuery({
      queryKey: ['reports', 'churn', query],
      queryFn: () => unwrap(api.GET('/api/reports/churn', params)),
      ...on,
    }),
    arpu: useQuery({
      queryKey: ['reports', 'arpu', query],
      queryFn: () => unwrap(api.GET('/api/reports/arpu', params)),
      ...on,
    }),
    revenue: useQuery({
      queryKey: ['reports', 'revenue', query],
      queryFn: () => unwrap(api.GET('/api/reports/revenue', params)),
      ...on,
    }),
    payments: useQuery({
      queryKey: ['reports', 'payments', query],
      queryFn: () => unwrap(api.GET('/api/reports/payments', params)),
      ...on,
    }),
    trials: useQuery({
      queryKey: ['reports', 'trials', query],
      queryFn: () => unwrap(api.GET('/api/reports/trials', params)),
      ...on,
    }),
  };
}

export type ReportSet = ReturnType<typeof useReportSet>;

/** Every report the dashboard shows: for the range (`now`), for the period before it, and the cohorts. */
export function useReports(query: ReportQuery, previous: ReportQuery, enabled: boolean) {
  const api = useApi();
  const now = useReportSet(query, enabled);
  const before = useReportSet(previous, enabled);
  const retention = useQuery({
    queryKey: ['reports', 'retention', query],
    queryFn: () => unwrap(api.GET('/api/reports/retention', { params: { query } })),
    ...FRESH,
    enabled,
  });
  return { now, before, retention };
}

export type Reports = ReturnType<typeof useReports>;
