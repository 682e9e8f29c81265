import type { Db } from '../db/client.js';
import type { AlertChannel } from '../db/schema/index.js';
import { type IncidentRow, alertRepository as repo } from './repository.js';
import type { AlertRulePatch, AlertRuleSettings, AlertRuleStore } from './rule-settings.js';

export interface MessageState {
  kind: 'opened' | 'resolved';
  channel: AlertChannel;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
}

export type Incident = IncidentRow & { messages: MessageState[] };

/** What admins see of alerts: incidents and the rules' thresholds. */
export class AlertService {
  constructor(private readonly deps: { db: Db; rules: AlertRuleStore; channels: AlertChannel[] }) {}

  /** The channels configured (SMTP with admin addresses; the chat webhook). */
  get channels(): AlertChannel[] {
    return this.deps.channels;
  }

  async incidents(recentLimit: number): Promise<{ open: Incident[]; recent: Incident[] }> {
    const { open, recent, messages } = await repo.list(this.deps.db, recentLimit);
    const withMessages = (incident: IncidentRow): Incident => ({
      ...incident,
      messages: messages.filter((m) => m.incidentId === incident.id).map(({ incidentId: _, ...m }) => m),
    });
    return { open: open.map(withMessages), recent: recent.map(withMessages) };
  }

  rules(): Promise<AlertRuleSettings> {
    return this.deps.rules.current();
  }

  updateRules(patch: AlertRulePatch): Promise<AlertRuleSettings> {
    return this.deps.rules.update(patch);
  }
}
