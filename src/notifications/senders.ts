import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { NotificationKind } from '../db/schema/index.js';
import type { NotificationContent } from './messages.js';

export interface Recipient {
  email: string;
  name: string | null;
}

export interface OutgoingNotification extends NotificationContent {
  notificationId: string;
  kind: NotificationKind;
  customerId: string;
  /** Decrypted just before sending, and only for a sender that needs it. */
  to: Recipient | null;
}

/** Where notifications go. A thrown error is retried later, unless it is a PermanentSendError. */
export interface NotificationSender {
  readonly needsRecipient: boolean;
  send(notification: OutgoingNotification): Promise<void>;
  close?(): void;
}

/** A failure no retry can mend (no address to send to): the notification is given up at once. */
export class PermanentSendError extends Error {
  override name = 'PermanentSendError';
}

/** The default without SMTP: a log line per notification, never the address or the text. */
export class LogNotificationSender implements NotificationSender {
  readonly needsRecipient = false;

  constructor(private readonly logger: Logger) {}

  async send(notification: OutgoingNotification): Promise<void> {
    this.logger.info(
      {
        kind: notification.kind,
        customerId: notification.customerId,
        notificationId: notification.notificationId,
      },
      'notification (no SMTP_URL set: logged, not emailed)',
    );
  }
}

/** Email through an SMTP server (`smtp://user:pass@host:port`, or `smtps://`). */
export class SmtpNotificationSender implements NotificationSender {
  readonly needsRecipient = true;
  private readonly transport: Transporter;

  constructor(options: { url: string; from: string }) {
    this.transport = nodemailer.createTransport(options.url, { from: options.from });
  }

  async send(notification: OutgoingNotification): Promise<void> {
    if (!notification.to) throw new PermanentSendError('the customer has no email address');
    await this.transport.sendMail({
      to: notification.to.name
        ? { name: notification.to.name, address: notification.to.email }
        : notification.to.email,
      subject: notification.subject,
      text: notification.text,
      headers: { 'X-Recur-Notification': notification.notificationId },
    });
  }

  close(): void {
    this.transport.close();
  }
}

/** SMTP when `SMTP_URL` is set, else the log. */
export function createNotificationSender(
  config: { smtpUrl: string | undefined; from: string },
  logger: Logger,
): NotificationSender {
  return config.smtpUrl
    ? new SmtpNotificationSender({ url: config.smtpUrl, from: config.from })
    : new LogNotificationSender(logger.child({ component: 'notifications' }));
}
