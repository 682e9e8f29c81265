import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { announceRefundCreated } from '../app-webhooks/fact-announcements.js';
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/client.js';
import { AppError, ConflictError, ValidationError } from '../http/errors.js';
import { nextSortCursor, type SortedPage } from '../http/sorting.js';
import { stripeIdempotencyKey } from '../stripe/client.js';
import { chargeRow, idOf, refundRow } from '../stripe/mapping.js';
import type { RefundReason, StripeRefunds } from '../stripe/refunds.js';
import {
  type RefundFilter,
  type RefundListRow,
  type RefundSort,
  refundSortColumns,
  refundRepository as repo,
} from './repository.js';

export interface RefundRequest {
  payment_id?: string;
  invoice_id?: string;
  /** Minor units; absent refunds whatever is left to refund. */
  amount?: number;
  reason: RefundReason;
  note?: string;
}

export interface RefundView {
  id: string;
  status: string | null;
  amount: number;
  currency: string;
  charge_id: string | null;
  payment_intent_id: string | null;
  invoice_id: string | null;
  reason: string | null;
}

export interface RefundListItem extends RefundView {
  customer_id: string | null;
  created_at: string;
}

/** Refunds go to Stripe first; the mirror records what Stripe answered, and the webhooks confirm it. */
export class RefundService {
  constructor(private readonly deps: { db: Db; stripe: StripeRefunds; logger: Logger }) {}

  async refund(request: RefundRequest, options: { idempotencyKey?: string }): Promise<RefundView> {
    const { charge, invoiceId } = await this.target(request);
    if (charge.status !== 'succeeded' || !charge.paid) {
      throw new ConflictError(
        'not_refundable',
        `Charge '${charge.id}' was not paid; there is nothing to refund`,
      );
    }
    const refundable = charge.amount_captured - charge.amount_refunded;
    if (refundable <= 0) {
      throw new ConflictError('not_refundable', `Charge '${charge.id}' is already refunded in full`, {
        refundable: 0,
        currency: charge.currency,
      });
    }
    const amount = request.amount ?? refundable;
    if (amount > refundable) throw exceeds(refundable, charge.currency);

    // Without the caller's key, the key names the target, the amount and what was refunded before:
    // a retry of the same request refunds once, while a later refund of the same amount is new.
    const idempotencyKey = options.idempotencyKey
      ? stripeIdempotencyKey('refund', options.idempotencyKey, charge.id)
      : `recur:refund:${charge.id}:${amount}:${charge.amount_refunded}`;
    const metadata: Record<string, string> = {
      ...(invoiceId ? { recur_invoice_id: invoiceId } : {}),
      ...(request.note ? { recur_note: request.note } : {}),
    };
    const audit = {
      action: 'refund.create',
      objectType: 'charge',
      objectId: charge.id,
      before: { amount_refunded: charge.amount_refunded },
    };
    let refund: Stripe.Refund;
    try {
      refund = await this.deps.stripe.create(
        { chargeId: charge.id, amount, reason: request.reason, metadata },
        idempotencyKey,
      );
    } catch (error) {
      const refusal = translateRefusal(error, charge);
      await recordAudit(this.deps.db, {
        ...audit,
        outcome: 'failed',
        error: refusal instanceof Error ? refusal.message : String(refusal),
      });
      throw refusal;
    }
    // A Stripe write: recorded once Stripe answered, whatever the mirror then keeps.
    await recordAudit(this.deps.db, {
      ...audit,
      after: {
        amount_refunded: charge.amount_refunded + refund.amount,
        refund_id: refund.id,
        amount: refund.amount,
        currency: refund.currency,
        reason: refund.reason,
        invoice_id: invoiceId,
        note: request.note ?? null,
      },
    });
    this.deps.logger.info({ refundId: refund.id, chargeId: charge.id, amount }, 'refund created in Stripe');
    await this.record(refund, invoiceId ?? undefined);
    return {
      id: refund.id,
      status: refund.status,
      amount: refund.amount,
      currency: refund.currency,
      charge_id: idOf(refund.charge),
      payment_intent_id: idOf(refund.payment_intent),
      invoice_id: invoiceId,
      reason: refund.reason,
    };
  }

  async list(
    filter: RefundFilter,
    page: SortedPage<RefundSort>,
  ): Promise<{ data: RefundListItem[]; next_cursor: string | null }> {
    const rows = await repo.list(this.deps.db, filter, page);
    return {
      data: rows.slice(0, page.limit).map(listItem),
      next_cursor: nextSortCursor(refundSortColumns, rows, page.limit, page.sort),
    };
  }

  /** The charge a request names, through its payment (`pi_…`/`ch_…`) or the invoice it paid. */
  private async target(request: RefundRequest): Promise<{ charge: Stripe.Charge; invoiceId: string | null }> {
    const { stripe } = this.deps;
    if ((request.payment_id === undefined) === (request.invoice_id === undefined)) {
      throw new ValidationError('invalid_refund_target', 'Name exactly one of payment_id and invoice_id');
    }
    if (request.payment_id) {
      const charge = await stripe.chargeOfPayment(request.payment_id);
      if (!charge)
        throw new AppError(404, 'payment_not_found', `Payment '${request.payment_id}' was not found`);
      return { charge, invoiceId: null };
    }
    const invoiceId = request.invoice_id!;
    const invoice = await stripe.retrieveInvoice(invoiceId);
    if (!invoice) throw new AppError(404, 'invoice_not_found', `Invoice '${invoiceId}' was not found`);
    const intent = invoice.status === 'paid' ? await stripe.paymentIntentOfInvoice(invoiceId) : null;
    const charge = intent ? await stripe.chargeOfPayment(intent) : null;
    if (!charge) {
      throw new ConflictError(
        'not_refundable',
        `Invoice '${invoiceId}' is ${invoice.status} and has no card payment to refund`,
      );
    }
    return { charge, invoiceId };
  }

  /**
   * Stripe's answer goes into the mirror at once: the refund, and the charge it changed. `invoiceId`:
   * the invoice refunded, when the request named it (else the refund's event finds it).
   */
  private async record(refund: Stripe.Refund, invoiceId: string | undefined): Promise<void> {
    const stamp = new Date(refund.created * 1000);
    const chargeId = idOf(refund.charge);
    const charge = chargeId ? await this.deps.stripe.retrieveCharge(chargeId) : null;
    // Announced with the write, keyed by the refund: its event, applied later, announces nothing more.
    await repo.applyStripeAnswer(this.deps.db, 'refund', refundRow(refund, invoiceId), stamp, (tx) =>
      announceRefundCreated(tx, refund, { key: `api:${refund.id}`, at: stamp }, idOf(charge?.customer)),
    );
    if (charge) await repo.applyStripeAnswer(this.deps.db, 'charge', chargeRow(charge), stamp);
  }
}

function exceeds(refundable: number, currency: string): ValidationError {
  return new ValidationError(
    'amount_exceeds_refundable',
    `The amount is more than the ${refundable} (minor units of ${currency.toUpperCase()}) left to refund`,
    { refundable, currency },
  );
}

/** A refund made elsewhere in the meantime can make Stripe refuse: told as the caller's own 4xx. */
function translateRefusal(error: unknown, charge: Stripe.Charge): unknown {
  const code = (error as { details?: { stripe?: { code?: string } } }).details?.stripe?.code;
  if (code === 'amount_too_large')
    return exceeds(charge.amount_captured - charge.amount_refunded, charge.currency);
  if (code === 'charge_already_refunded')
    return new ConflictError('not_refundable', `Charge '${charge.id}' is already refunded in full`);
  return error;
}

function listItem(row: RefundListRow): RefundListItem {
  return {
    id: row.id,
    customer_id: row.customerId,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    charge_id: row.chargeId,
    payment_intent_id: row.paymentIntentId,
    invoice_id: row.invoiceId,
    reason: row.reason,
    created_at: row.createdAt.toISOString(),
  };
}
