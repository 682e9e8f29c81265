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

/** SMTP when `SMTP_URL` is set, else the log; the mail library is loaded only when it is used. */
export async function createNotificationSender(
  config: { smtpUrl: string | undefined; from: string },
  logger: Logger,
): Promise<NotificationSender> {
  if (!config.smtpUrl) return new LogNotificationSender(logger.child({ component: 'notifications' }));
  const { SmtpNotificationSender } = await import('./smtp-sender.js');
  return new SmtpNotificationSender({ url: config.smtpUrl, from: config.from });
}
