/**
 * Attaching a payment method to a customer runs Stripe's card check, so declining test cards
 * fail here with a 402; detaching frees the customer's default if it pointed at this method.
 */
import type Stripe from 'stripe';
import type { EmulatorContext } from '../../core/context.js';
import { previousAttributes } from '../../core/diff.js';
import { cardError, invalidRequest } from '../../core/errors.js';
import { customersOf, paymentMethodsOf } from '../collections.js';
import { requireCustomer } from '../lookups.js';
import { assertReusable, markConsumed, testCardOf } from './card-objects.js';

/** Runs the zero-amount check Stripe makes when a card is saved; throws its card error. */
export function checkCardForSetup(ctx: EmulatorContext, paymentMethodId: string): void {
  const decline = testCardOf(ctx, paymentMethodId).onSetup;
  if (decline) {
    throw cardError(decline.code, decline.message, {
      ...(decline.declineCode && { declineCode: decline.declineCode }),
    });
  }
}

export function attachPaymentMethod(
  ctx: EmulatorContext,
  paymentMethod: Stripe.PaymentMethod,
  customerId: string,
): Stripe.PaymentMethod {
  requireCustomer(ctx.store, customerId);
  if (paymentMethod.customer === customerId) return paymentMethod;
  if (paymentMethod.customer) {
    throw invalidRequest('The payment method you provided has already been attached to a customer.', {
      code: 'payment_method_unexpected_state',
    });
  }
  assertReusable(ctx, paymentMethod.id);
  checkCardForSetup(ctx, paymentMethod.id);
  const attached: Stripe.PaymentMethod = { ...paymentMethod, customer: customerId };
  paymentMethodsOf(ctx.store).save(attached);
  ctx.events.emit('payment_method.attached', attached);
  return attached;
}

export function detachPaymentMethod(
  ctx: EmulatorContext,
  paymentMethod: Stripe.PaymentMethod,
): Stripe.PaymentMethod {
  const customerId = typeof paymentMethod.customer === 'string' ? paymentMethod.customer : null;
  if (!customerId) {
    throw invalidRequest(
      'The payment method you provided is not attached to a customer so detachment is impossible.',
      { code: 'payment_method_unexpected_state' },
    );
  }
  const detached: Stripe.PaymentMethod = { ...paymentMethod, customer: null };
  paymentMethodsOf(ctx.store).save(detached);
  markConsumed(ctx, paymentMethod.id);
  ctx.events.emit('payment_method.detached', detached, { previousAttributes: { customer: customerId } });

  const customers = customersOf(ctx.store);
  const customer = customers.get(customerId);
  if (customer && customer.invoice_settings.default_payment_method === paymentMethod.id) {
    const before = structuredClone(customer);
    customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: null };
    customers.save(customer);
    ctx.events.emit('customer.updated', customer, {
      previousAttributes: previousAttributes(before, customer),
    });
  }
  return detached;
}
