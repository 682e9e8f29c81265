import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { ALERT_RULES, type AlertRule } from '../db/schema/index.js';
import type { PiiCipher } from '../shared/crypto.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import { type AlertChannelSender, renderAlert } from './channels.js';
import { conditionsRepository } from './conditions-repository.js';
import { type ClaimedMessage, alertRepository as repo } from './repository.js';
import type { AlertRuleStore } from './rule-settings.js';
import { type Finding, type JudgeContext, RULES } from './rules.js';

export interface EvaluationResult {
  /** `busy`: another process was evaluating; this one did nothing. */
  outcome: 'evaluated' | 'busy';
  opened: string[];
  resolved: string[];
}

export interface AlertMonitorOptions {
  intervalSeconds: number;
  /** How long a claimed message is left alone by other senders while it is sent. */
  leaseMs: number;
  /** First retry delay of a message that could not be sent; doubles per attempt up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
}

const DEFAULTS: Omit<AlertMonitorOptions, 'intervalSeconds'> = {
  leaseMs: 120_000,
  retryBaseMs: 30_000,
  retryMaxMs: 3_600_000,
  maxAttempts: 10,
};

/** Refused signatures are counted for a day at most: the longest window a rule may have. */
const SIGNAL_KEPT_MS = 86_400_000 + 60_000;

const keyOf = (rule: AlertRule, key: string) => `${rule}\u0000${key}`;

/**
 * Evaluates the alert rules and sends what they open and resolve. An evaluation is one transaction
 * holding a cluster-wide advisory lock (another process finds it taken and skips its turn), and the
 * incidents and their messages are rows: a message is written once, in the transaction that opened
 * or resolved its incident, and sent afterwards under a lease, so several processes send it once
 * and a restart neither sends it again nor forgets it.
 */
export class AlertMonitor {
  private readonly task: PeriodicTask<void>;
  private readonly options: AlertMonitorOptions;

  constructor(
    private readonly deps: {
      db: Db;
      rules: AlertRuleStore;
      channels: AlertChannelSender[];
      cipher: PiiCipher;
      logger: Logger;
    },
    options: Partial<AlertMonitorOptions> & { intervalSeconds: number },
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.task = new PeriodicTask(() => this.pass(new Date()), this.options.intervalSeconds * 1000);
  }

  start(): void {
    this.task.start({ runNow: true });
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One evaluation and one sending pass, now or at `now` (a test's clock). */
  async tick(now = new Date()): Promise<void> {
    await this.task.runOnce(() => this.pass(now));
  }

  private async pass(now: Date): Promise<void> {
    try {
      await this.evaluate(now);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'alert evaluation failed');
    }
    try {
      await this.dispatchDue(now);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'alert sending failed');
    }
  }

  async evaluate(now = new Date()): Promise<EvaluationResult> {
    const { db, rules, channels, logger } = this.deps;
    const settings = await rules.current();
    const channelNames = channels.map((c) => c.channel);
    const result = await db.transaction(async (tx): Promise<EvaluationResult> => {
      if (!(await repo.tryEvaluationLock(tx))) return { outcome: 'busy', opened: [], resolved: [] };
      const found = new Map<string, { rule: AlertRule; finding: Finding }>();
      for (const rule of ALERT_RULES) {
        if (!settings[rule].enabled) continue;
        const judge = RULES[rule] as (
          db: typeof tx,
          s: unknown,
          now: Date,
          ctx: JudgeContext,
        ) => Promise<Finding[]>;
        for (const finding of await judge(tx, settings[rule], now, { cipher: this.deps.cipher }))
          found.set(keyOf(rule, finding.key), { rule, finding });
      }
      const opened: string[] = [];
      const resolved: string[] = [];
      for (const incident of await repo.openIncidents(tx)) {
        const still = found.get(keyOf(incident.rule, incident.key));
        found.delete(keyOf(incident.rule, incident.key));
        if (still) await repo.stillTrue(tx, incident.id, { ...still.finding, at: now });
        else if (await repo.resolve(tx, incident.id, now)) {
          await repo.enqueue(tx, incident.id, 'resolved', channelNames, now);
          resolved.push(incident.id);
          logger.info({ incidentId: incident.id, rule: incident.rule, key: incident.key }, 'alert resolved');
        }
      }
      for (const { rule, finding } of found.values()) {
        const incident = await repo.open(tx, { rule, ...finding, at: now });
        if (!incident) continue;
        await repo.enqueue(tx, incident.id, 'opened', channelNames, now);
        opened.push(incident.id);
        logger.warn(
          { incidentId: incident.id, rule, key: finding.key, summary: finding.summary },
          channels.length
            ? 'alert opened'
            : 'alert opened (set SMTP_URL and RECUR_ADMIN_EMAILS, or RECUR_ALERT_WEBHOOK_URL, to have it sent)',
        );
      }
      await conditionsRepository.pruneSignals(tx, new Date(now.getTime() - SIGNAL_KEPT_MS));
      return { outcome: 'evaluated', opened, resolved };
    });
    return result;
  }

  /** Sends the messages due now; how many were sent. */
  async dispatchDue(now = new Date()): Promise<number> {
    const { db } = this.deps;
    const claimed = await repo.claimDue(db, 20, now, new Date(now.getTime() + this.options.leaseMs));
    let sent = 0;
    for (const message of claimed) {
      try {
        await this.send(message);
        await repo.markSent(db, message.id, new Date());
        sent++;
      } catch (error) {
        await this.failed(message, error, now);
      }
    }
    return sent;
  }

  private async send(message: ClaimedMessage): Promise<void> {
    const channel = this.deps.channels.find((c) => c.channel === message.channel);
    // The channel was configured when the incident was written and is no longer: nowhere to send.
    if (!channel) throw new Error(`the ${message.channel} channel is no longer configured`);
    await channel.send(renderAlert(message.incident, message.kind));
  }

  private async failed(message: ClaimedMessage, error: unknown, now: Date): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    const { retryBaseMs, retryMaxMs, maxAttempts } = this.options;
    const giveUp = message.attempts >= maxAttempts;
    const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** (message.attempts - 1));
    const retryAt = giveUp ? null : new Date(now.getTime() + delay * (1 + Math.random() * 0.2));
    await repo.markFailed(this.deps.db, message.id, reason, retryAt);
    this.deps.logger.warn(
      { alertMessageId: message.id, channel: message.channel, attempt: message.attempts, error: reason },
      giveUp ? 'alert message given up' : 'alert message could not be sent; will retry',
    );
  }

  close(): void {
    for (const channel of this.deps.channels) channel.close?.();
  }
}
