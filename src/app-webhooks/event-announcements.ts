import type { EventHandler, HandledEvent, HandlerContext } from '../events/handlers/context.js';
import { idOf } from '../stripe/mapping.js';
import type { Cause, ChangeAnnouncer, Watched } from './announcements.js';
import {
  announceCheckoutCompleted,
  announceCustomerUpdated,
  announceInvoice,
  announceRefundCreated,
  announceTrialWillEnd,
} from './fact-announcements.js';
import { wantedTypes } from './wanted-types.js';

/** The event types whose handlers may change what the host app is told about. */
const ANNOUNCING =
  /^(customer\.|invoice\.|invoice_payment\.|refund\.|charge\.refund\.|checkout\.session\.completed$|recur\.subscription_created$|payment_provider\.)/;

export function announcesFor(type: string): boolean {
  return ANNOUNCING.test(type);
}

/**
 * An event's handler, announcing what it changed in the event's own transaction: the
 * subscriptions and entitlements it touched are read before and after it, and its facts (an
 * invoice paid, a refund …) follow. Only an event that applied a change announces anything (but
 * for payment attempts, below): a stale or ignored snapshot says nothing, and a replayed event
 * finds its messages' keys taken.
 */
export function announcing(handler: EventHandler, announcer: ChangeAnnouncer): EventHandler {
  return async (ctx) => {
    const wanted = await wantedTypes(ctx.tx);
    if (wanted.size === 0) return handler(ctx);
    const watched = watchedBy(ctx.event);
    const watch = watched ? await announcer.watch(ctx.tx, watched) : null;
    const result = await handler(ctx);
    const cause: Cause = { key: ctx.event.id, at: ctx.eventAt };
    if (result === 'applied') {
      await watch?.announce(ctx.tx, cause);
      await announceFacts(ctx, wanted, cause);
    } else if (result === 'stale' && TOLD_WHEN_STALE.has(ctx.event.type)) {
      // A payment attempt happened even when a newer state of its invoice came first; it is still
      // told unless that state shows the invoice paid (see announceInvoice). An invoice payment
      // finds its invoice paid already, whoever wrote that (a sync tells no one): the invoice's
      // `invoice.paid` is told once whatever tells it (its key).
      await announceFacts(ctx, wanted, cause);
    }
    return result;
  };
}

const TOLD_WHEN_STALE: ReadonlySet<string> = new Set([
  'invoice.payment_failed',
  'invoice.payment_action_required',
  'invoice_payment.paid',
]);

const WAIT_CHANGING: ReadonlySet<string> = new Set([
  'invoice.payment_action_required',
  'invoice.paid',
  'invoice.payment_succeeded',
  'invoice.voided',
  'invoice.marked_uncollectible',
  'invoice.updated',
]);

/**
 * Whether a subscription's latest invoice waits for 3-D Secure is part of its status word
 * (`action_required`): these invoice events start or end a wait, in whichever order they arrive.
 */
function waitingSubscription(event: HandledEvent): string | null {
  if (!WAIT_CHANGING.has(event.type)) return null;
  const invoice = event.data.object;
  if (invoice.object !== 'invoice') return null;
  return idOf(invoice.parent?.subscription_details?.subscription ?? null);
}

/** What an event may change that the host app sees through subscriptions and entitlements. */
function watchedBy(event: HandledEvent): Watched | null {
  const object: { object?: unknown; id?: unknown } = event.data.object;
  if (typeof object.id !== 'string') return null;
  if (event.type.startsWith('payment_provider.')) return { subscriptions: [object.id] };
  switch (object.object) {
    case 'subscription':
      return {
        subscriptions: [object.id],
        customers: 'customer' in object ? [idOf(object.customer as string | { id: string } | null)] : [],
      };
    case 'customer':
      return { customers: [object.id] };
    case 'invoice': {
      const subscription = waitingSubscription(event);
      return subscription ? { subscriptions: [subscription] } : null;
    }
    default:
      return null;
  }
}

async function announceFacts(ctx: HandlerContext, wanted: ReadonlySet<string>, cause: Cause): Promise<void> {
  const { event, tx } = ctx;
  switch (event.type) {
    case 'customer.updated':
    case 'customer.deleted':
      if (wanted.has('customer.updated')) await announceCustomerUpdated(tx, event.data.object.id, cause);
      return;
    case 'customer.subscription.trial_will_end':
      if (wanted.has('trial.will_end')) await announceTrialWillEnd(tx, event.data.object.id, cause);
      return;
    case 'checkout.session.completed':
      if (wanted.has('checkout.completed')) await announceCheckoutCompleted(tx, event.data.object, cause);
      return;
    case 'refund.created':
    case 'refund.updated':
    case 'charge.refund.updated':
      if (wanted.has('refund.created')) await announceRefundCreated(tx, event.data.object, cause);
      return;
    case 'invoice_payment.paid': {
      const invoiceId = idOf(event.data.object.invoice);
      if (invoiceId) await announceInvoice(tx, wanted, invoiceId, null, cause);
      return;
    }
    default:
      if (event.type.startsWith('invoice.') && event.data.object.object === 'invoice') {
        const invoiceId = event.data.object.id;
        if (invoiceId) await announceInvoice(tx, wanted, invoiceId, event.type, cause);
      }
  }
}
