import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';

export interface AdminAlert {
  subject: string;
  text: string;
}

/**
 * Tells the people who run Recur that something needs them (an endpoint of their app given up
 * on). Best effort: the caller has already logged the matter at error level, which stays the
 * record; an alert that cannot be sent is logged and not retried.
 */
export interface AdminAlerts {
  send(alert: AdminAlert): Promise<void>;
  close?(): void;
}

/** Loads the mail client on the first alert: most deployments never send one (see embedded-modules.test.ts). */
class EmailAdminAlerts implements AdminAlerts {
  private transport: Promise<Transporter> | null = null;

  constructor(
    private readonly options: { url: string; from: string; to: string[] },
    private readonly logger: Logger,
  ) {}

  async send(alert: AdminAlert): Promise<void> {
    try {
      const transport = await this.connect();
      await transport.sendMail({ subject: `[Recur] ${alert.subject}`, text: alert.text });
    } catch (error) {
      this.logger.warn({ err: error, subject: alert.subject }, 'admin alert could not be emailed');
    }
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

class LogAdminAlerts implements AdminAlerts {
  constructor(private readonly logger: Logger) {}

  async send(alert: AdminAlert): Promise<void> {
    this.logger.warn(
      { subject: alert.subject },
      'admin alert (set SMTP_URL and RECUR_ADMIN_EMAILS to have it emailed)',
    );
  }
}

/** Email to RECUR_ADMIN_EMAILS through SMTP_URL when both are set, else a log line. */
export function createAdminAlerts(
  config: { smtpUrl: string | undefined; from: string; adminEmails: string[] },
  logger: Logger,
): AdminAlerts {
  const alertsLogger = logger.child({ component: 'admin-alerts' });
  return config.smtpUrl && config.adminEmails.length > 0
    ? new EmailAdminAlerts({ url: config.smtpUrl, from: config.from, to: config.adminEmails }, alertsLogger)
    : new LogAdminAlerts(alertsLogger);
}
