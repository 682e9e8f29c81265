import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { PiiCipher } from '../shared/crypto.js';
import { renderNotification } from './messages.js';
import { type ClaimedNotification, notificationRepository as repo } from './repository.js';
import { type NotificationSender, PermanentSendError, type Recipient } from './senders.js';

export interface DispatcherOptions {
  pollIntervalMs: number;
  batchSize: number;
  /** How long a claimed notification is left alone by other dispatchers while it is sent. */
  leaseMs: number;
  /** First retry delay; doubles per attempt up to `retryMaxMs`, with up to 20% jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
}

const DEFAULTS: DispatcherOptions = {
  pollIntervalMs: 1000,
  batchSize: 20,
  leaseMs: 120_000,
  retryBaseMs: 30_000,
  retryMaxMs: 3_600_000,
  maxAttempts: 8,
};

/** Addresses in a mail server's error text ("550 <x@y> unknown") stay out of logs and the table. */
const withoutAddresses = (text: string) => text.replace(/<?[^\s<>@]+@[^\s<>@]+>?/g, '[address]');

/**
 * Sends the outbox: runs beside the event worker, claims due notifications (several dispatchers
 * share the table safely) and hands each to the sender, retrying failures with backoff.
 */
export class NotificationDispatcher {
  private readonly options: DispatcherOptions;
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<unknown> | null = null;
  private running = false;

  constructor(
    private readonly deps: { db: Db; sender: NotificationSender; cipher: PiiCipher; logger: Logger },
    options: Partial<DispatcherOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.pass;
  }

  /** One pass over what is due now; the number of notifications sent. */
  async dispatchDue(): Promise<number> {
    const { db } = this.deps;
    const claimed = await repo.claimDue(
      db,
      this.options.batchSize,
      new Date(Date.now() + this.options.leaseMs),
    );
    let sent = 0;
    for (const notification of claimed) {
      try {
        await this.send(notification);
        await repo.markSent(db, notification.id);
        sent++;
      } catch (error) {
        await this.failed(notification, error);
      }
    }
    return sent;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.pass = this.dispatchDue()
        .catch((error) => this.deps.logger.error({ err: error }, 'notification pass failed'))
        .then((sent) => this.schedule(sent === this.options.batchSize ? 0 : this.options.pollIntervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private async send(notification: ClaimedNotification): Promise<void> {
    const { sender, cipher } = this.deps;
    // A notification can come before its customer's own event; it waits for it like any failure.
    if (!notification.recipient) throw new Error('the customer is not mirrored yet');
    const name = notification.recipient.nameEncrypted
      ? cipher.decrypt(notification.recipient.nameEncrypted)
      : null;
    let to: Recipient | null = null;
    if (sender.needsRecipient && notification.recipient.emailEncrypted) {
      to = { email: cipher.decrypt(notification.recipient.emailEncrypted), name };
    }
    await sender.send({
      notificationId: notification.id,
      kind: notification.kind,
      customerId: notification.customerId,
      to,
      ...renderNotification(notification.kind, notification.data, name),
    });
  }

  private async failed(notification: ClaimedNotification, error: unknown): Promise<void> {
    const message = withoutAddresses(error instanceof Error ? error.message : String(error));
    const { retryBaseMs, retryMaxMs, maxAttempts } = this.options;
    const giveUp = error instanceof PermanentSendError || notification.attempts >= maxAttempts;
    const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** (notification.attempts - 1));
    const retryAt = giveUp ? null : new Date(Date.now() + delay * (1 + Math.random() * 0.2));
    await repo.markFailed(this.deps.db, notification.id, message, retryAt);
    this.deps.logger.warn(
      {
        notificationId: notification.id,
        kind: notification.kind,
        attempt: notification.attempts,
        error: message,
      },
      giveUp ? 'notification given up' : 'notification failed; will retry',
    );
  }
}
