import { runStatement, type Statement } from '../../db/client.js';
import { invoiceRepository } from '../../invoices/repository.js';
import { upsertMirror } from '../../mirror/repository.js';
import {
  notifying,
  paymentActionNotice,
  paymentFailedNotice,
  paymentRecoveredNotice,
} from '../../notifications/outbox.js';
import { idOf, invoiceRow } from '../../stripe/mapping.js';
import { applyInOrder, type EventHandler, on, type TypedHandler } from './context.js';

const INVOICE = [
  'invoice.created',
  'invoice.finalized',
  'invoice.updated',
  'invoice.paid',
  'invoice.payment_succeeded',
  'invoice.payment_failed',
  'invoice.payment_action_required',
  'invoice.voided',
  'invoice.marked_uncollectible',
  'invoice.deleted',
] as const;

const invoice: TypedHandler<(typeof INVOICE)[number]> = (ctx, event) =>
  applyInOrder(ctx, 'invoice', event.data.object, (current, stamp, mode) =>
    upsertMirror(ctx.tx, 'invoice', invoiceRow(current), stamp, mode),
  );

/**
 * The invoice's payment waits for the customer's 3-D Secure authentication. The fact is kept on the
 * invoice row whatever the snapshot's age (a newer snapshot of the same invoice does not carry it),
 * and counts only while the invoice is open: an `invoice.paid` applied before or after ends it, in
 * either delivery order.
 */
const paymentActionRequired: TypedHandler<'invoice.payment_action_required'> = async (ctx, event) => {
  const result = await invoice(ctx, event);
  const marked = await invoiceRepository.markPaymentActionRequired(ctx.tx, event.data.object.id);
  return marked ? 'applied' : result;
};

/**
 * Which invoice a payment paid is kept (a refund of the payment then names its invoice without
 * asking Stripe), and the status the mirror holds for the invoice read, in one round trip.
 */
const LINK_PAYMENT: Statement = {
  name: 'recur_invoice_payment_link',
  text: `with linked as (
           insert into invoice_payments (id, invoice_id, payment_intent_id)
           select $2, $1, $3::text where $3::text is not null
           on conflict (id) do nothing
         )
         select status from invoices where id = $1`,
};

/** An invoice payment says its invoice changed; the invoice itself is read again from Stripe. */
const invoicePayment: TypedHandler<'invoice_payment.paid'> = async (ctx, event) => {
  const payment = event.data.object;
  const invoiceId = idOf(payment.invoice);
  if (!invoiceId) return 'noop';
  const [row] = await runStatement<{ status: string | null }>(ctx.tx, LINK_PAYMENT, [
    invoiceId,
    payment.id,
    idOf(payment.payment.payment_intent),
  ]);
  // A paid invoice holds its payments already, and neither it nor a void one changes again.
  const held = row ? row.status : undefined;
  if (held === 'paid' || held === 'void') return 'stale';
  const fetched = await ctx.objects.retrieve('invoice', invoiceId);
  if (!fetched) return 'noop';
  const snapshot = fetched.object;
  return applyInOrder(
    { ...ctx, eventAt: new Date(Math.max(ctx.eventAt.getTime(), fetched.fetchedAt.getTime())) },
    'invoice',
    snapshot,
    (current, stamp, mode) => upsertMirror(ctx.tx, 'invoice', invoiceRow(current), stamp, mode),
  );
};

/** `invoice.upcoming` describes an invoice that does not exist yet: nothing to mirror. */
const upcoming: TypedHandler<'invoice.upcoming'> = async () => 'noop';

export const invoiceHandlers: Record<string, EventHandler> = {
  ...on(INVOICE, invoice),
  // Types with a notice are registered again below: the later entry replaces the plain one.
  ...on(['invoice.paid'], notifying(invoice, paymentRecoveredNotice)),
  ...on(['invoice.payment_failed'], notifying(invoice, paymentFailedNotice)),
  ...on(['invoice.payment_action_required'], notifying(paymentActionRequired, paymentActionNotice)),
  ...on(['invoice.upcoming'], upcoming),
  ...on(['invoice_payment.paid'], invoicePayment),
};
