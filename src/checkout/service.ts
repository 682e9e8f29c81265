import type { Logger } from 'pino';
import { recordAudit } from '../audit/record.js';
import type { CustomerRow } from '../customers/repository.js';
import type { AppUser, CustomerService } from '../customers/service.js';
import { customerNotFound } from '../customers/service.js';
import type { Db } from '../db/client.js';
import {
  assertBillingAccess,
  organizationPayer,
  type Payer,
  userPayer,
  userPrincipal,
} from '../organizations/payer.js';
import { seatTermsFor } from '../organizations/seat-terms.js';
import type { OrganizationService } from '../organizations/service.js';
import { meteredRepository } from '../plans/metered-repository.js';
import { planRepository } from '../plans/repository.js';
import type { WriteContext } from '../plans/service.js';
import { QUANTITY_METADATA } from '../purchases/fulfilment.js';
import type { StripeCheckout } from '../stripe/checkout.js';
import { PLAN_ID_METADATA, stripeIdempotencyKey } from '../stripe/index.js';
import { ORGANIZATION_ID_METADATA, USER_ID_METADATA } from '../stripe/mapping.js';
import { assertMayBuy } from '../subscriptions/live.js';
import { assertOneTimeTerms } from './one-time.js';
import { choosePrice } from './price-choice.js';
import { appReturnUrl, checkedReturnUrl, type ReturnTargets } from './return-urls.js';
import type { CheckoutSessionView, CreateCheckoutInput } from './schemas.js';

interface CheckoutServiceDeps {
  db: Db;
  customers: CustomerService;
  /** An organisation's customer, made on its first billing need. */
  organizations: Pick<OrganizationService, 'customerOf'>;
  stripe: StripeCheckout;
  billing: { appUrl: string; redirectOrigins: string[] };
  /** Recur's own billing page, a return target too; read at each request (the port is bound late). */
  billingPage: () => string;
  /** Stripe Tax on (the operator's setting): Checkout collects the address and calculates tax. */
  taxEnabled?: () => Promise<boolean>;
  logger: Logger;
}

interface CheckoutPayer {
  payer: Payer;
  /** How an error message names the payer. */
  who: string;
  existing: CustomerRow | null;
  make: () => Promise<CustomerRow>;
  /** Links the session and the subscription it makes to the payer. */
  metadata: Record<string, string>;
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

  /**
   * Who pays for what the user starts: the user, or the organisation they name as its owner or
   * billing admin (checked first of all). Its customer is looked up now and made only once every
   * check has passed.
   */
  private async payerOf(user: AppUser, organizationId: string | undefined): Promise<CheckoutPayer> {
    const { customers, organizations } = this.deps;
    if (organizationId === undefined) {
      return {
        payer: userPayer(user.userId),
        who: 'The user',
        existing: await customers.findForUser(user.userId),
        make: () => customers.forUser(user),
        metadata: { [USER_ID_METADATA]: user.userId },
      };
    }
    await assertBillingAccess(this.deps.db, userPrincipal(user.userId), organizationId);
    return {
      payer: organizationPayer(organizationId),
      who: `Organisation '${organizationId}'`,
      existing: await customers.findForOrganization(organizationId),
      make: () => organizations.customerOf(organizationId),
      metadata: { [ORGANIZATION_ID_METADATA]: organizationId },
    };
  }

  async createSession(
    user: AppUser,
    input: CreateCheckoutInput,
    ctx: WriteContext,
  ): Promise<CheckoutSessionView> {
    const { db, billing, stripe } = this.deps;
    const payer = await this.payerOf(user, input.organization_id);
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

    const existing = payer.existing;
    const oneTime = plan!.kind === 'one_time';
    // A one-time plan is bought as often as wanted (packs add up); a recurring one follows the rules of subscribing.
    if (oneTime) assertOneTimeTerms(input);
    else await assertMayBuy(db, payer.who, existing?.id ?? null, plan!);
    const discount =
      input.coupon !== undefined
        ? { coupon: (await stripe.redeemableCoupon(input.coupon)).id }
        : input.promotion_code !== undefined
          ? { promotionCodeId: (await stripe.activePromotionCode(input.promotion_code)).id }
          : null;

    const customer = existing ?? (await payer.make());
    const seats = oneTime
      ? { quantity: input.quantity, metadata: { [QUANTITY_METADATA]: String(input.quantity) } }
      : await seatTermsFor(db, plan!, payer.payer, input.quantity);
    const metadata = { ...payer.metadata, [PLAN_ID_METADATA]: planId, ...seats.metadata };
    const session = await stripe.createSession(
      {
        mode: oneTime ? 'payment' : 'subscription',
        customerId: customer.id,
        stripePriceId: price.stripePriceId,
        meteredPriceIds: await meteredRepository.forLicensedPrice(db, price.stripePriceId),
        // An organisation's per-seat plan starts with a seat for each member who holds one.
        quantity: seats.quantity,
        trialDays: oneTime ? 0 : (input.trial_days ?? plan!.trialDays),
        discount,
        successUrl,
        cancelUrl,
        // The user who started it, also when an organisation pays.
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
        mode: oneTime ? 'payment' : 'subscription',
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
    input: { return_url?: string | undefined; organization_id?: string | undefined },
    ctx: WriteContext,
  ): Promise<{ url: string }> {
    const { billing } = this.deps;
    const payer = await this.payerOf({ userId }, input.organization_id);
    const checked = checkedReturnUrl(input.return_url ?? billing.appUrl, 'return_url', this.returnTargets());
    const customer = payer.existing;
    if (!customer) {
      throw customerNotFound(`${payer.who} has no customer yet: subscribe through Checkout first`);
    }
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
