import nodemailer, { type Transporter } from 'nodemailer';
import { type NotificationSender, type OutgoingNotification, PermanentSendError } from './senders.js';

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
