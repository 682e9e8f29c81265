/**
 * Payment methods made from test cards. Stripe's magic ids (`pm_card_visa`) and tokens
 * (`tok_visa`) stand for a card; using one where a payment method is expected creates a new
 * payment method for that card, as Stripe does.
 */
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { EmulatorContext } from '../../core/context.js';
import { invalidRequest, resourceMissing } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { paymentMethodCardsOf, paymentMethodsOf } from '../collections.js';
import { EMPTY_ADDRESS } from '../shared-params.js';
import { TEST_CARDS, type TestCard, testCardName } from '../test-cards.js';

export const PAYMENT_METHOD_NOUN = 'PaymentMethod';

/** Same card, same fingerprint, as with Stripe. */
function fingerprintOf(cardName: string): string {
  const digest = createHash('sha256').update(`recur-emulator-card:${cardName}`).digest('base64');
  return digest.replace(/[^A-Za-z0-9]/g, '').slice(0, 16);
}

function cardDetails(cardName: string, card: TestCard, now: number): Stripe.PaymentMethod.Card {
  const year = new Date(now * 1000).getUTCFullYear();
  return {
    brand: card.brand,
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
    country: card.country,
    display_brand: card.brand,
    exp_month: 12,
    exp_year: year + 3,
    fingerprint: fingerprintOf(cardName),
    funding: card.funding,
    generated_from: null,
    last4: card.last4,
    networks: { available: [card.brand], preferred: null },
    regulated_status: 'unregulated',
    three_d_secure_usage: { supported: true },
    wallet: null,
  };
}

export interface NewCardOptions {
  billingDetails?: Partial<Stripe.PaymentMethod.BillingDetails>;
  metadata?: Stripe.Metadata;
  allowRedisplay?: Stripe.PaymentMethod.AllowRedisplay;
}

/** Stores a new card payment method for the test card `cardName` (a key of TEST_CARDS). */
export function createCardPaymentMethod(
  ctx: EmulatorContext,
  cardName: string,
  options: NewCardOptions = {},
): Stripe.PaymentMethod {
  const card = TEST_CARDS[cardName];
  if (!card) throw new Error(`Unknown test card ${cardName}`);
  const now = ctx.clock.now();
  const paymentMethod: Stripe.PaymentMethod = {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: options.allowRedisplay ?? 'unspecified',
    billing_details: {
      address: { ...EMPTY_ADDRESS },
      email: null,
      name: null,
      phone: null,
      tax_id: null,
      ...options.billingDetails,
    },
    card: cardDetails(cardName, card, now),
    created: now,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: options.metadata ?? {},
    type: 'card',
  };
  paymentMethodsOf(ctx.store).save(paymentMethod);
  paymentMethodCardsOf(ctx.store).save({ id: paymentMethod.id, testCard: cardName, consumed: false });
  return paymentMethod;
}

/**
 * The payment method `id` names: a stored one, or a new one for a magic test id. Throws Stripe's
 * 404 (with `param`) for anything else.
 */
export function resolvePaymentMethod(
  ctx: EmulatorContext,
  id: string,
  param = 'payment_method',
): Stripe.PaymentMethod {
  const stored = paymentMethodsOf(ctx.store).get(id);
  if (stored) return stored;
  const cardName = id.startsWith('pm_card_') ? testCardName(id) : null;
  if (cardName) return createCardPaymentMethod(ctx, cardName);
  throw resourceMissing(PAYMENT_METHOD_NOUN, id, param);
}

/** The test card behind a stored payment method. */
export function testCardOf(ctx: EmulatorContext, paymentMethodId: string): TestCard {
  const record = paymentMethodCardsOf(ctx.store).get(paymentMethodId);
  const card = record && TEST_CARDS[record.testCard];
  if (!card) throw resourceMissing(PAYMENT_METHOD_NOUN, paymentMethodId, 'payment_method');
  return card;
}

/** Stripe refuses a payment method that was detached, or used once without a customer. */
export function assertReusable(
  ctx: EmulatorContext,
  paymentMethodId: string,
  param = 'payment_method',
): void {
  if (paymentMethodCardsOf(ctx.store).get(paymentMethodId)?.consumed) {
    throw invalidRequest(
      'This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.',
      { param, code: 'payment_method_unexpected_state' },
    );
  }
}

export function markConsumed(ctx: EmulatorContext, paymentMethodId: string): void {
  const cards = paymentMethodCardsOf(ctx.store);
  const record = cards.get(paymentMethodId);
  if (record && !record.consumed) cards.save({ ...record, consumed: true });
}
