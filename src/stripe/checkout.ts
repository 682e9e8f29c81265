import Stripe from 'stripe';
import { type AppError, ValidationError } from '../http/errors.js';
import { type Branding, NO_BRANDING } from '../settings/branding.js';
import { callStripe, translateStripeError } from './errors.js';

export interface NewCheckoutSession {
  /**
   * `subscription` for a recurring plan; `payment` for a one-time plan's one-time price, charged
   * once (https://docs.stripe.com/payments/checkout/how-checkout-works).
   */
  mode: 'subscription' | 'payment';
  customerId: string;
  stripePriceId: string;
  quantity: number;
  /** The plan's metered (overage) prices: line items without a quantity, billed by their meters. */
  meteredPriceIds: string[];
  trialDays: number;
  discount: { coupon: string } | { promotionCodeId: string } | null;
  successUrl: string;
  cancelUrl: string;
  clientReferenceId: string;
  /** Set on the session and on the subscription it makes. */
  metadata: Record<string, string>;
  /**
   * Stripe Tax: tax calculated on the session and the subscription, the billing address and tax
   * ids collected on the page and saved to the (always existing) customer, as Stripe requires
   * (https://docs.stripe.com/tax/checkout, https://docs.stripe.com/tax/checkout/tax-ids).
   */
  tax: boolean;
}

/** The Stripe half of Checkout and the Customer Portal. */
export class StripeCheckout {
  constructor(
    private readonly stripe: Stripe,
    /** The deployment's branding, laid over the Stripe account's on each Checkout page. */
    private readonly branding: () => Promise<Branding> = async () => NO_BRANDING,
  ) {}

  async createSession(session: NewCheckoutSession, idempotencyKey: string): Promise<Stripe.Checkout.Session> {
    const discount = session.discount;
    try {
      return await this.stripe.checkout.sessions.create(
        {
          mode: session.mode,
          customer: session.customerId,
          client_reference_id: session.clientReferenceId,
          line_items: [
            { price: session.stripePriceId, quantity: session.quantity },
            ...session.meteredPriceIds.map((price) => ({ price })),
          ],
          success_url: session.successUrl,
          cancel_url: session.cancelUrl,
          metadata: session.metadata,
          ...brandingSettings(await this.branding()),
          ...(session.tax && {
            automatic_tax: { enabled: true },
            billing_address_collection: 'required',
            tax_id_collection: { enabled: true },
            customer_update: { address: 'auto', name: 'auto' },
          }),
          ...(session.mode === 'subscription' && {
            subscription_data: {
              metadata: session.metadata,
              ...(session.trialDays > 0 ? { trial_period_days: session.trialDays } : {}),
            },
          }),
          // Without a discount of our own the page offers the promotion-code field instead.
          ...(discount === null
            ? { allow_promotion_codes: true }
            : {
                discounts: [
                  'coupon' in discount
                    ? { coupon: discount.coupon }
                    : { promotion_code: discount.promotionCodeId },
                ],
              }),
        },
        { idempotencyKey },
      );
    } catch (error) {
      throw discountRefused(error) ?? translateStripeError(error);
    }
  }

  createPortalSession(
    customerId: string,
    returnUrl: string,
    idempotencyKey: string,
  ): Promise<Stripe.BillingPortal.Session> {
    return callStripe(() =>
      this.stripe.billingPortal.sessions.create(
        { customer: customerId, return_url: returnUrl },
        { idempotencyKey },
      ),
    );
  }

  /** The coupon if Stripe has it and it can still be redeemed. */
  async redeemableCoupon(id: string): Promise<Stripe.Coupon> {
    try {
      const coupon = await this.stripe.coupons.retrieve(id);
      if (!coupon.valid)
        throw new ValidationError('coupon_expired', `Coupon '${id}' can no longer be redeemed`);
      return coupon;
    } catch (error) {
      if (isMissing(error)) throw new ValidationError('coupon_not_found', `No coupon '${id}' exists`);
      throw translateStripeError(error);
    }
  }

  /** The active promotion code a customer typed (codes are matched without regard to case). */
  async activePromotionCode(code: string): Promise<Stripe.PromotionCode> {
    const page = await callStripe(() => this.stripe.promotionCodes.list({ code, active: true, limit: 1 }));
    const found = page.data[0];
    if (!found)
      throw new ValidationError('promotion_code_not_found', 'No active promotion code matches this code');
    return found;
  }
}

/**
 * Checkout's `branding_settings` (https://docs.stripe.com/payments/checkout/customization/appearance):
 * the product name, the accent colour on its button, and the logo when it is an https URL (Stripe
 * takes an image by URL or by File upload, never inline). Nothing set: the account's own branding.
 */
function brandingSettings(
  branding: Branding,
): Pick<Stripe.Checkout.SessionCreateParams, 'branding_settings'> | Record<string, never> {
  const settings: Stripe.Checkout.SessionCreateParams.BrandingSettings = {
    ...(branding.product_name && { display_name: branding.product_name }),
    ...(branding.accent_color && { button_color: branding.accent_color }),
    ...(branding.logo_url?.startsWith('https:') && { logo: { type: 'url', url: branding.logo_url } }),
  };
  return Object.keys(settings).length ? { branding_settings: settings } : {};
}

function isMissing(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'resource_missing';
}

/** Stripe's refusal of the discount itself (expired, used up, not for this customer) is the caller's 400. */
function discountRefused(error: unknown): AppError | null {
  if (!(error instanceof Stripe.errors.StripeInvalidRequestError) || !error.param?.startsWith('discounts'))
    return null;
  return new ValidationError('discount_not_applicable', `The discount cannot be applied: ${error.message}`, {
    stripe: { code: error.code, param: error.param },
  });
}
