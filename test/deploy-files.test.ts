import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bearer, startTestApp, type TestApp } from './support/app.js';

/**
 * The monitoring files in deploy/ name only metrics Recur exports: both files are loaded as a
 * Prometheus or Grafana would read them, and each metric in their queries is looked up in a real
 * /metrics answer of the app.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const deployFile = (path: string) => readFileSync(new URL(`../deploy/${path}`, import.meta.url), 'utf8');

/** Every series name /metrics declares (`# TYPE`), with a histogram's and a summary's own series. */
function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name! + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name! + suffix);
  }
  return names;
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'inf',
  'nan',
]);

/** The metric names a PromQL expression selects: identifiers outside label matchers, ranges and groupings, not called. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+\w+/g, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/(?<![\w.$])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)) {
    if (!KEYWORDS.has(match[1]!.toLowerCase())) names.add(match[1]!);
  }
  return [...names];
}

function grafanaExpressions(dashboard: { panels?: unknown[] }): string[] {
  const exprs: string[] = [];
  const walk = (panels: unknown[] = []) => {
    for (const panel of panels as Array<{ targets?: Array<{ expr?: string }>; panels?: unknown[] }>) {
      for (const target of panel.targets ?? []) if (target.expr) exprs.push(target.expr);
      walk(panel.panels);
    }
  };
  walk(dashboard.panels);
  return exprs;
}

describe('deploy/ monitoring files', () => {
  it('reads the metric names out of PromQL', () => {
    expect(
      metricNames(
        'sum by (le, route) (rate(a_total{type=~"x|y"}[5m] offset 1d)) / on() clamp_min(b or on() vector(0), 0.1) and c >= 20',
      ).sort(),
    ).toEqual(['a_total', 'b', 'c']);
  });

  it('name only metrics that a real /metrics answer holds', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(t.serviceKey) });
    expect(res.statusCode).toBe(200);
    const exported = exportedNames(res.body);

    const rules = parse(deployFile('prometheus/recur-alerts.yml')) as {
      groups: Array<{
        name: string;
        rules: Array<{ alert: string; expr: string; labels: object; annotations: object }>;
      }>;
    };
    const alerts = rules.groups.flatMap((g) => g.rules);
    expect(alerts.map((r) => r.alert)).toEqual([
      'RecurDeadLetteredEvents',
      'RecurWebhookSignatureFailures',
      'RecurEventProcessingLag',
      'RecurSyncFailed',
      'RecurFailedPaymentRateHigh',
      'RecurDisputeOpened',
      'RecurAppWebhookEndpointFailing',
      'RecurAlertIncidentOpen',
    ]);
    for (const rule of alerts) {
      expect(rule, rule.alert).toMatchObject({
        labels: { severity: expect.any(String) },
        annotations: { summary: expect.any(String) },
      });
    }

    const dashboard = JSON.parse(deployFile('grafana/recur-dashboard.json')) as {
      uid: string;
      panels: unknown[];
    };
    expect(dashboard.uid).toBe('recur-overview');
    const queries = [...alerts.map((r) => r.expr), ...grafanaExpressions(dashboard)];
    expect(queries.length).toBeGreaterThan(alerts.length);
    const named = new Set(queries.flatMap(metricNames));
    expect(named.size).toBeGreaterThan(8);
    expect([...named].filter((name) => !exported.has(name))).toEqual([]);
  });
});
