import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { EventInbox } from '../events/inbox.js';
import { internalEvent } from '../events/internal.js';
import {
  AppError,
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
  ValidationError,
} from '../http/errors.js';
import { externalSubscriptionRepository as repo } from '../subscriptions/external-repository.js';
import { PAYMENT_EVENT_TYPES, type PaymentNotice, paymentInstantOf, paymentNoticeBody } from './notice.js';
import { paymentSignatureMatches } from './signature.js';

/** A provider's clock may run a little ahead; a payment dated later than this is refused. */
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

export interface Accepted {
  duplicate: boolean;
}

/**
 * Takes in what a payment provider reports. Everything that can be checked at the door is checked
 * here (signature, shape, subscription, currency, an invoice to pay), so an accepted notice is one
 * the worker can apply; then it is stored once in the inbox, keyed by the body's hash.
 */
export class PaymentNoticeIntake {
  constructor(
    private readonly deps: { db: Db; inbox: EventInbox; secret: string | undefined; logger: Logger },
  ) {}

  /** Throws unless the webhook is on and `signature` is the body's; nothing else is looked at. */
  checkSignature(rawBody: Buffer, signature: string | undefined): void {
    const { secret } = this.deps;
    if (!secret)
      throw new ServiceUnavailableError(
        'payment_webhook_disabled',
        'The payment webhook is off: RECUR_PAYMENT_WEBHOOK_SECRET is not set',
      );
    if (!signature)
      throw new AppError(
        401,
        'missing_signature',
        'Send X-Recur-Signature: sha256=<hex HMAC-SHA256 of the body>',
      );
    if (!paymentSignatureMatches(rawBody, signature, secret))
      throw new AppError(401, 'invalid_signature', 'X-Recur-Signature does not match the body');
  }

  async accept(rawBody: Buffer, signature: string | undefined): Promise<Accepted> {
    this.checkSignature(rawBody, signature);

    const body = parseBody(rawBody);
    const paidAt = paymentInstantOf(body.date);
    if (paidAt.getTime() > Date.now() + FUTURE_TOLERANCE_MS)
      throw new ValidationError('date_in_future', 'The payment date is in the future', { field: 'date' });
    const subscription = await repo.findSubscription(this.deps.db, body.subscription_id);
    if (!subscription) throw new NotFoundError('Subscription', body.subscription_id);
    const currency = body.currency?.toLowerCase() ?? subscription.currency;
    if (currency !== subscription.currency)
      throw new ValidationError(
        'currency_mismatch',
        `The subscription is billed in ${subscription.currency.toUpperCase()}, not ${currency.toUpperCase()}`,
        { field: 'currency' },
      );

    const outcome = body.event === 'payment_success' ? 'success' : 'failed';
    let invoiceId: string | null = null;
    if (subscription.provider === 'stripe' && outcome === 'success') {
      const invoice = await repo.openInvoiceOf(this.deps.db, subscription.id);
      if (!invoice)
        throw new ConflictError(
          'no_open_invoice',
          'Stripe bills this subscription and it has no open invoice to mark paid',
        );
      if (invoice.amountRemaining !== body.amount)
        throw new ValidationError(
          'amount_mismatch',
          `The open invoice ${invoice.id} is for ${invoice.amountRemaining}, not ${body.amount}`,
          { field: 'amount', invoice_id: invoice.id, amount_remaining: invoice.amountRemaining },
        );
      invoiceId = invoice.id;
    }

    const notice: PaymentNotice = {
      id: subscription.id,
      object: 'subscription',
      provider: subscription.provider,
      outcome,
      amount: body.amount,
      currency,
      paid_on: paidAt.toISOString().slice(0, 10),
      paid_at: paidAt.toISOString(),
      reason: body.reason ?? null,
      invoice_id: invoiceId,
    };
    const { duplicate } = await this.store(notice, rawBody);
    if (subscription.provider === 'stripe' && outcome === 'failed')
      throw new ConflictError(
        'stripe_managed',
        'Stripe collects this subscription’s payments itself; the failure was recorded and changes nothing',
        { reason: notice.reason, recorded: true, duplicate },
      );
    return { duplicate };
  }

  private async store(notice: PaymentNotice, rawBody: Buffer): Promise<Accepted> {
    try {
      return await this.deps.inbox.ingest(
        internalEvent({
          source: 'payment_provider',
          externalId: createHash('sha256').update(rawBody).digest('hex'),
          type: PAYMENT_EVENT_TYPES[notice.outcome],
          object: { ...notice },
        }),
      );
    } catch (error) {
      this.deps.logger.error({ err: error, subscriptionId: notice.id }, 'payment notice could not be stored');
      throw new ServiceUnavailableError(
        'inbox_unavailable',
        'The payment could not be stored; send it again',
      );
    }
  }
}

function parseBody(rawBody: Buffer) {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new ValidationError('invalid_json', 'The body is not JSON');
  }
  const parsed = paymentNoticeBody.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(root)',
      in: 'body',
      message: issue.message,
    }));
    throw new ValidationError(
      'validation_failed',
      `Invalid body: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`,
      { fields },
    );
  }
  return parsed.data;
}
