/**
 * What charging a payment method does, by the test card it was made from, for the billing engine:
 * succeed, be declined (with Stripe's code, decline code and message), or need 3D Secure
 * authentication, which an off-session charge cannot get and so fails as `authentication_required`.
 */
import type { EmulatorContext } from '../core/context.js';
import { testCardOf } from './payment-methods/card-objects.js';

export type ChargeOutcome =
  | { status: 'succeeded' }
  | { status: 'requires_action' }
  | { status: 'failed'; code: string; declineCode: string | null; message: string };

export function chargeOutcome(
  ctx: EmulatorContext,
  paymentMethodId: string,
  options: { offSession: boolean },
): ChargeOutcome {
  const behaviour = testCardOf(ctx, paymentMethodId).onCharge;
  if (behaviour === null) return { status: 'succeeded' };
  if (behaviour === 'requires_action') {
    if (!options.offSession) return { status: 'requires_action' };
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
