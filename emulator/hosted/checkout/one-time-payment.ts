/**
 * A `payment` mode session's charge: one payment intent for the session's total, confirmed on
 * session with the chosen card. The in-process billing API covers subscriptions and invoices; a
 * one-off payment runs the engine's own payment-intent step, so its objects and events are the
 * ones `POST /v1/payment_intents` with `confirm=true` produces. A declined card leaves the intent
 * in `requires_payment_method`, and the next attempt confirms the same intent again, as Stripe does.
 */
import type Stripe from 'stripe';
import { createBilling } from '../../billing/engine/context.js';
import { EventBatch } from '../../billing/engine/event-batch.js';
import { chargePaymentIntent } from '../../billing/engine/payments.js';
import { newPaymentIntent } from '../../billing/objects/payment-objects.js';
import type { EmulatorContext } from '../../core/context.js';

export type PaymentResult =
  | { paid: true; intent: Stripe.PaymentIntent }
  | { paid: false; intent: Stripe.PaymentIntent; message: string };

export function payForSession(
  ctx: EmulatorContext,
  session: Stripe.Checkout.Session,
  customer: string | null,
  paymentMethod: string,
): PaymentResult {
  const billing = createBilling({ emulator: ctx });
  const at = ctx.clock.nowForCustomer(customer);
  const batch = new EventBatch(ctx.events);
  try {
    const previous =
      typeof session.payment_intent === 'string'
        ? billing.data.paymentIntents.get(session.payment_intent)
        : undefined;
    const intent =
      previous ??
      newPaymentIntent({
        amount: session.amount_total ?? 0,
        currency: session.currency ?? 'usd',
        customer,
        description: null,
        metadata: {},
        paymentMethod: null,
        created: at,
      });
    if (!previous) {
      billing.data.paymentIntents.save(intent);
      batch.record('payment_intent.created', intent, at);
    }
    const result = chargePaymentIntent(billing, batch, intent, paymentMethod, at, { session: 'on_session' });
    if (result.status === 'succeeded') return { paid: true, intent };
    const message =
      result.status === 'requires_action'
        ? 'This card needs authentication, which this page cannot do. Choose another card.'
        : (intent.last_payment_error?.message ?? 'Your card was declined.');
    return { paid: false, intent, message };
  } finally {
    batch.flush();
  }
}
