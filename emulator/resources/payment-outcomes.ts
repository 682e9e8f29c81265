/**
 * What charging a payment method does, by the test card it was made from, for the billing engine:
 * succeed, be declined (with Stripe's code, decline code and message), or need 3D Secure
 * authentication (https://docs.stripe.com/testing#authentication-and-setup).
 *
 * A card that needs authentication waits for the customer (`requires_action`) when they are there
 * to complete it, or when Stripe Billing collects an invoice: the invoice stays open and the
 * customer confirms on its hosted page (https://docs.stripe.com/billing/migration/strong-customer-authentication).
 * A PaymentIntent confirmed with `off_session=true` cannot wait, and fails as `authentication_required`
 * (https://docs.stripe.com/payments/save-and-reuse#charge-saved-payment-method).
 */
import type { EmulatorContext } from '../core/context.js';
import { paymentMethodCardsOf } from './collections.js';
import { testCardOf } from './payment-methods/card-objects.js';

export type ChargeOutcome =
  | { status: 'succeeded' }
  | { status: 'requires_action' }
  | { status: 'failed'; code: string; declineCode: string | null; message: string };

/** How the charge is made: on session, by Stripe Billing for an invoice, or off session through the API. */
export type ChargeSession = 'on_session' | 'invoice' | 'off_session';

export function chargeOutcome(
  ctx: EmulatorContext,
  paymentMethodId: string,
  options: { session: ChargeSession; consume?: boolean },
): ChargeOutcome {
  const card = testCardOf(ctx, paymentMethodId);
  const behaviour = card.onCharge;
  if (behaviour === null) return { status: 'succeeded' };
  if (behaviour === 'requires_action') {
    const setUpSuffices = options.session !== 'on_session' && card.exemptOnceSetUp === true;
    if (authenticated(ctx, paymentMethodId, setUpSuffices, options.consume === true)) {
      return { status: 'succeeded' };
    }
    if (options.session !== 'off_session') return { status: 'requires_action' };
    return {
      status: 'failed',
      code: 'authentication_required',
      declineCode: 'authentication_required',
      message: 'Your card was declined. This transaction requires authentication.',
    };
  }
  return {
    status: 'failed',
    code: behaviour.code,
    declineCode: behaviour.declineCode ?? null,
    message: behaviour.message,
  };
}

/**
 * Whether this charge is authenticated: by a 3D Secure challenge just completed (used up by this
 * charge when `consume`), or, for a card that asks only on setup, by the authentication its setup had.
 */
function authenticated(
  ctx: EmulatorContext,
  paymentMethodId: string,
  setUpSuffices: boolean,
  consume: boolean,
): boolean {
  const cards = paymentMethodCardsOf(ctx.store);
  const record = cards.get(paymentMethodId);
  if (!record) return false;
  if (record.authenticated) {
    if (consume) cards.save({ ...record, authenticated: false });
    return true;
  }
  return setUpSuffices && record.setUp === true;
}

/**
 * The customer completed a 3D Secure challenge for this payment method: the next charge goes
 * through, and the card counts as set up for later off-session charges.
 */
export function recordAuthentication(ctx: EmulatorContext, paymentMethodId: string): void {
  const cards = paymentMethodCardsOf(ctx.store);
  const record = cards.get(paymentMethodId);
  if (record) cards.save({ ...record, authenticated: true, setUp: true });
}

/** A challenge completed for a payment that did not happen (a trial): it does not carry over. */
export function dropAuthentication(ctx: EmulatorContext, paymentMethodId: string): void {
  const cards = paymentMethodCardsOf(ctx.store);
  const record = cards.get(paymentMethodId);
  if (record?.authenticated) cards.save({ ...record, authenticated: false });
}
