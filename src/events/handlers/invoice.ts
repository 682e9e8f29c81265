import type Stripe from 'stripe';
import { upsertMirror } from '../../mirror/repository.js';
import { notifying, paymentFailedNotice, paymentRecoveredNotice } from '../../notifications/outbox.js';
import { invoiceRow } from '../../stripe/mapping.js';
import { applyInOrder, type EventHandler } from './context.js';

const invoice: EventHandler = (ctx) =>
  applyInOrder(
    ctx,
    'invoice',
    ctx.event.data.object as Stripe.Invoice & { id: string },
    (current, stamp, mode) => upsertMirror(ctx.tx, 'invoice', invoiceRow(current), stamp, mode),
  );

/** An invoice payment says its invoice changed; the invoice itself is read again from Stripe. */
const invoicePayment: EventHandler = async (ctx) => {
  const payment = ctx.event.data.object as Stripe.InvoicePayment;
  const invoiceId = typeof payment.invoice === 'string' ? payment.invoice : payment.invoice?.id;
  if (!invoiceId) return 'noop';
  const fetched = await ctx.objects.retrieve('invoice', invoiceId);
  if (!fetched) return 'noop';
  const snapshot = fetched.object as Stripe.Invoice & { id: string };
  return applyInOrder(
    { ...ctx, eventAt: new Date(Math.max(ctx.eventAt.getTime(), fetched.fetchedAt.getTime())) },
    'invoice',
    snapshot,
    (current, stamp, mode) => upsertMirror(ctx.tx, 'invoice', invoiceRow(current), stamp, mode),
  );
};

/** `invoice.upcoming` describes an invoice that does not exist yet: nothing to mirror. */
const upcoming: EventHandler = async () => 'noop';

export const invoiceHandlers: Record<string, EventHandler> = {
  'invoice.created': invoice,
  'invoice.finalized': invoice,
  'invoice.updated': invoice,
  'invoice.paid': notifying(invoice, paymentRecoveredNotice),
  'invoice.payment_succeeded': invoice,
  'invoice.payment_failed': notifying(invoice, paymentFailedNotice),
  'invoice.payment_action_required': invoice,
  'invoice.voided': invoice,
  'invoice.marked_uncollectible': invoice,
  'invoice.deleted': invoice,
  'invoice.upcoming': upcoming,
  'invoice_payment.paid': invoicePayment,
};
