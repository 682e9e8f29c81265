import type { Transporter } from 'nodemailer';
import { checkTarget, type TargetOptions } from '../app-webhooks/target-guard.js';
import { postWebhook } from '../app-webhooks/webhook-post.js';
import type { AlertChannel, AlertRule } from '../db/schema/index.js';
import type { IncidentRow, MessageKind } from './repository.js';

export const RULE_TITLES: Record<AlertRule, string> = {
  dead_letters: 'Dead-lettered events',
  signature_failures: 'Webhook signature failures',
  processing_lag: 'Event processing lag',
  sync_failed: 'Sync from Stripe failed',
  payment_failure_rate: 'Failed-payment rate above usual',
  dispute: 'Payment disputed',
  app_webhook_failing: 'Webhook endpoint failing',
};

export interface AlertText {
  subject: string;
  text: string;
}

const minutesBetween = (from: Date, to: Date) =>
  Math.max(1, Math.round((to.getTime() - from.getTime()) / 60_000));

/** What the admins read, by email or in the chat channel: the same words in both. */
export function renderAlert(incident: IncidentRow, kind: MessageKind): AlertText {
  const title = RULE_TITLES[incident.rule];
  if (kind === 'opened')
    return {
      subject: `[Recur] ALERT ${title}`,
      text: [
        `ALERT ${title}: ${incident.summary}`,
        `Since ${incident.openedAt.toISOString()} (incident ${incident.id}).`,
        'Open and recent incidents are listed under Alerts in the admin console.',
      ].join('\n'),
    };
  const resolvedAt = incident.resolvedAt ?? new Date();
  return {
    subject: `[Recur] RESOLVED ${title}`,
    text: [
      `RESOLVED ${title}: ${incident.summary}`,
      `Resolved at ${resolvedAt.toISOString()}, after ${minutesBetween(incident.openedAt, resolvedAt)} min (incident ${incident.id}).`,
    ].join('\n'),
  };
}

/** One way of telling the admins. A thrown error is retried later; its message is kept and logged. */
export interface AlertChannelSender {
  readonly channel: AlertChannel;
  send(alert: AlertText): Promise<void>;
  close?(): void;
}

/** Email to RECUR_ADMIN_EMAILS; the mail library is loaded on the first alert (see embedded-modules.test.ts). */
export class EmailAlertChannel implements AlertChannelSender {
  readonly channel = 'email';
  private transport: Promise<Transporter> | null = null;

  constructor(private readonly options: { url: string; from: string; to: string[] }) {}

  async send(alert: AlertText): Promise<void> {
    const transport = await this.connect();
    await transport.sendMail({ subject: alert.subject, text: alert.text });
  }

  close(): void {
    this.transport?.then((transport) => transport.close()).catch(() => {});
  }

  private connect(): Promise<Transporter> {
    const { url, from, to } = this.options;
    this.transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport(url, { from, to }),
    );
    return this.transport;
  }
}

/**
 * A Slack-compatible incoming webhook: `{"text": …}` POSTed as JSON. The URL is a secret (whoever
 * holds it can post to the channel): it is never logged, and an error names its host at most. Its
 * target is checked like the host app's endpoints (no private address unless allowed, https in
 * live mode), and the connection goes to the address the check vetted.
 */
export class WebhookAlertChannel implements AlertChannelSender {
  readonly channel = 'webhook';

  constructor(
    private readonly url: string,
    private readonly options: TargetOptions & { timeoutMs: number },
  ) {}

  async send(alert: AlertText): Promise<void> {
    const target = await checkTarget(this.url, this.options);
    if (!target.ok) throw new Error(`the alert webhook URL ${target.reason}`);
    const outcome = await postWebhook({
      url: target.url,
      addresses: target.addresses,
      headers: {},
      body: JSON.stringify({ text: alert.text }),
      timeoutMs: this.options.timeoutMs,
    });
    if (outcome.statusCode === null) throw new Error(`the alert webhook did not answer: ${outcome.error}`);
    if (outcome.statusCode < 200 || outcome.statusCode >= 300)
      throw new Error(`the alert webhook answered ${outcome.statusCode}`);
  }
}

/** The channels the configuration sets up: email with SMTP_URL and RECUR_ADMIN_EMAILS, the webhook with its URL. */
export function alertChannels(config: {
  notifications: { smtpUrl: string | undefined; from: string; adminEmails: string[] };
  alerts: { webhookUrl: string | undefined };
  appWebhooks: TargetOptions & { timeoutMs: number };
}): AlertChannelSender[] {
  const channels: AlertChannelSender[] = [];
  const { smtpUrl, from, adminEmails } = config.notifications;
  if (smtpUrl && adminEmails.length > 0)
    channels.push(new EmailAlertChannel({ url: smtpUrl, from, to: adminEmails }));
  if (config.alerts.webhookUrl) {
    const { allowPrivate, requireHttps, timeoutMs } = config.appWebhooks;
    channels.push(
      new WebhookAlertChannel(config.alerts.webhookUrl, { allowPrivate, requireHttps, timeoutMs }),
    );
  }
  return channels;
}
