import type { Logger } from 'pino';
import { recordAudit } from '../audit/record.js';
import type { AppUser, CustomerService } from '../customers/service.js';
import { customerNotFound } from '../customers/service.js';
import type { Db } from '../db/client.js';
import { userPayer } from '../organizations/payer.js';
import { seatTermsFor } from '../organizations/seat-terms.js';
import { planRepository } from '../plans/repository.js';
import type { WriteContext } from '../plans/service.js';
import type { StripeCheckout } from '../stripe/checkout.js';
import { PLAN_ID_METADATA, stripeIdempotencyKey } from '../stripe/index.js';
import { USER_ID_METADATA } from '../stripe/mapping.js';
import { alreadySubscribed, liveSubscriptions } from '../subscriptions/live.js';
import { choosePrice } from './price-choice.js';
import { appReturnUrl, checkedReturnUrl, type ReturnTargets } from './return-urls.js';
import type { CheckoutSessionView, CreateCheckoutInput } from './schemas.js';

interface CheckoutServiceDeps {
  db: Db;
  customers: CustomerService;
  stripe: StripeCheckout;
  billing: { appUrl: string; redirectOrigins: string[] };
  /** Recur's own billing page, a return target too; read at each request (the port is bound late). */
  billingPage: () => string;
  /** Stripe Tax on (the operator's setting): Checkout collects the address and calculates tax. */
  taxEnabled?: () => Promise<boolean>;
  logger: Logger;
}

/**
 * Sends users to Stripe's hosted pages. Every check that can refuse a request runs before the first
 * Stripe write, so a refused request leaves no customer and no session behind.
 */
export class CheckoutService {
  constructor(private readonly deps: CheckoutServiceDeps) {}

  private returnTargets(): ReturnTargets {
    return { origins: this.deps.billing.redirectOrigins, pages: [this.deps.billingPage()] };
  }

  async createSession(
    user: AppUser,
    input: CreateCheckoutInput,
    ctx: WriteContext,
  ): Promise<CheckoutSessionView> {
    const { db, billing, stripe } = this.deps;
    const targets = this.returnTargets();
    const successUrl = checkedReturnUrl(
      input.success_url ?? appReturnUrl(billing.appUrl, 'success'),
      'success_url',
      targets,
    );
    const cancelUrl = checkedReturnUrl(
      input.cancel_url ?? appReturnUrl(billing.appUrl, 'cancelled'),
      'cancel_url',
      targets,
    );
    const plan = await planRepository.findByIdOrKey(db, input.plan_id);
    const price = choosePrice(plan, input.plan_id, input);
    const planId = price.planId;

    const existing = await this.deps.customers.findForUser(user.userId);
    const live = existing && (await liveSubscriptions.to(db, existing.id, planId));
    if (live) throw alreadySubscribed('The user', live);
    const discount =
      input.coupon !== undefined
        ? { coupon: (await stripe.redeemableCoupon(input.coupon)).id }
        : input.promotion_code !== undefined
          ? { promotionCodeId: (await stripe.activePromotionCode(input.promotion_code)).id }
          : null;

    const customer = existing ?? (await this.deps.customers.forUser(user));
    const seats = await seatTermsFor(db, plan!, userPayer(user.userId), input.quantity);
    const metadata = { [USER_ID_METADATA]: user.userId, [PLAN_ID_METADATA]: planId, ...seats.metadata };
    const session = await stripe.createSession(
      {
        customerId: customer.id,
        stripePriceId: price.stripePriceId,
        quantity: input.quantity,
        trialDays: input.trial_days ?? plan!.trialDays,
        discount,
        successUrl,
        cancelUrl,
        clientReferenceId: user.userId,
        metadata,
        tax: (await this.deps.taxEnabled?.()) ?? false,
      },
      stripeIdempotencyKey(`checkout.${customer.id}`, ctx.idempotencyKey, 'session'),
    );
    this.deps.logger.info(
      { sessionId: session.id, customerId: customer.id, planId },
      'checkout session created',
    );
    await recordAudit(db, {
      action: 'checkout_session.create',
      objectType: 'checkout_session',
      objectId: session.id,
      after: {
        customer_id: customer.id,
        plan_id: planId,
        price_id: price.id,
        quantity: input.quantity ?? null,
        discount,
      },
    });
    return {
      id: session.id,
      url: session.url!,
      expires_at: new Date(session.expires_at * 1000).toISOString(),
    };
  }

  async createPortalSession(
    userId: string,
    returnUrl: string | undefined,
    ctx: WriteContext,
  ): Promise<{ url: string }> {
    const { billing } = this.deps;
    const checked = checkedReturnUrl(returnUrl ?? billing.appUrl, 'return_url', this.returnTargets());
    const customer = await this.deps.customers.findForUser(userId);
    if (!customer) throw customerNotFound('The user has no customer yet: subscribe through Checkout first');
    const session = await this.deps.stripe.createPortalSession(
      customer.id,
      checked,
      stripeIdempotencyKey(`portal.${customer.id}`, ctx.idempotencyKey, 'session'),
    );
    await recordAudit(this.deps.db, {
      action: 'portal_session.create',
      objectType: 'portal_session',
      objectId: session.id,
      after: { customer_id: customer.id },
    });
    return { url: session.url };
  }
}
