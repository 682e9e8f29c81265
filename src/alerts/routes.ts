import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ALERT_CHANNELS, ALERT_RULES } from '../db/schema/index.js';
import { errorResponses } from '../http/schemas.js';
import { RULE_TITLES } from './channels.js';
import { alertRulePatchSchema, alertRuleSettingsSchema } from './rule-settings.js';
import type { AlertService, Incident } from './service.js';

const messageView = z.object({
  kind: z.enum(['opened', 'resolved']),
  channel: z.enum(ALERT_CHANNELS),
  status: z.enum(['pending', 'sent', 'failed']).describe('failed: given up after its retries'),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  sent_at: z.string().datetime().nullable(),
});

const incidentView = z.object({
  id: z.string(),
  rule: z.enum(ALERT_RULES),
  title: z.string(),
  key: z.string().describe("The rule's subject (a dispute or endpoint id); empty for a rule with one"),
  status: z.enum(['open', 'resolved']),
  summary: z.string(),
  details: z.record(z.string(), z.unknown()),
  opened_at: z.string().datetime(),
  last_seen_at: z.string().datetime(),
  resolved_at: z.string().datetime().nullable(),
  messages: z.array(messageView),
});

const incidentsView = z.object({
  open: z.array(incidentView),
  recent: z.array(incidentView).describe('The latest resolved incidents, newest first'),
  channels: z.array(z.enum(ALERT_CHANNELS)).describe('Where alerts are sent; empty: only logged'),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function view(incident: Incident): z.infer<typeof incidentView> {
  return {
    id: incident.id,
    rule: incident.rule,
    title: RULE_TITLES[incident.rule],
    key: incident.key,
    status: incident.status,
    summary: incident.summary,
    details: incident.details,
    opened_at: incident.openedAt.toISOString(),
    last_seen_at: incident.lastSeenAt.toISOString(),
    resolved_at: iso(incident.resolvedAt),
    messages: incident.messages.map((m) => ({
      kind: m.kind,
      channel: m.channel,
      status: m.status,
      attempts: m.attempts,
      last_error: m.lastError,
      sent_at: iso(m.sentAt),
    })),
  };
}

const tags = ['alerts'];
const admin = ['admin'] as const;

export function alertRoutes(alerts: AlertService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/admin/alerts',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Open alert incidents and the latest resolved ones, with how each message went',
          querystring: z.object({ recent: z.coerce.number().int().min(0).max(200).default(20) }).strict(),
          response: { 200: incidentsView, ...errorResponses },
        },
      },
      async (request) => {
        const { open, recent } = await alerts.incidents(request.query.recent);
        return { open: open.map(view), recent: recent.map(view), channels: alerts.channels };
      },
    );

    app.get(
      '/api/admin/alerts/rules',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: "The alert rules' thresholds (defaults from the configuration, changed by admins)",
          response: { 200: alertRuleSettingsSchema, ...errorResponses },
        },
      },
      () => alerts.rules(),
    );

    app.put(
      '/api/admin/alerts/rules',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Change rules’ thresholds or turn rules off; the next evaluation uses them',
          body: alertRulePatchSchema,
          response: { 200: alertRuleSettingsSchema, ...errorResponses },
        },
      },
      (request) => alerts.updateRules(request.body),
    );
  };
}
