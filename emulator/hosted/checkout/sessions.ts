/**
 * Checkout Sessions as records: creating one from validated parameters (prices, discounts, expiry),
 * repricing it when a promotion code is applied on the page, and expiring it, by request or when
 * its `expires_at` passes. Expiry is caught up at the start of every Checkout request and page
 * view, at the time of the session's customer (its test clock, if any).
 */
import type Stripe from 'stripe';
import type { EmulatorContext } from '../../core/context.js';
import { invalidRequest, parameterMissing, parametersExclusive } from '../../core/errors.js';
import { initialMetadata, type MetadataUpdate, mustGet } from '../../core/records.js';
import { couponsOf, type StoredPrice } from '../../resources/collections.js';
import {
  assertCouponRedeemable,
  requireCustomer,
  requirePrice,
  requireProduct,
  requirePromotionCode,
} from '../../resources/lookups.js';
import { priceAmount } from '../../resources/prices/price-amount.js';
import { taxCountry } from '../../resources/tax/tax-settings.js';
import {
  checkoutSessionsOf,
  type SubscriptionData,
  sessionCustomerUpdatesOf,
  sessionLineItemsOf,
  sessionSubscriptionDataOf,
} from '../collections.js';
import { sessionBranding } from './session-branding.js';
import {
  applyTotals,
  type CheckoutMode,
  type CouponTerms,
  newCheckoutSession,
  newLineItem,
} from './session-objects.js';
import { checkSessionTax, sessionTaxFields, sessionTaxing } from './session-tax.js';

const HOUR = 3600;
/** Stripe lets a session live between 30 minutes and 24 hours; 24 hours is the default. */
const MIN_LIFETIME = HOUR / 2;
const MAX_LIFETIME = 24 * HOUR;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const SESSION_NOUN = 'checkout.session';
export const PAGE_PREFIX = '/c/pay/';

export const isEmail = (text: string) => EMAIL.test(text);

type CreateParams = Stripe.Checkout.SessionCreateParams & { mode: CheckoutMode };

export class CheckoutSessions {
  readonly sessions;
  private readonly lineItems;
  private readonly subscriptionData;
  private readonly customerUpdates;

  constructor(private readonly ctx: EmulatorContext) {
    this.sessions = checkoutSessionsOf(ctx.store);
    this.lineItems = sessionLineItemsOf(ctx.store);
    this.subscriptionData = sessionSubscriptionDataOf(ctx.store);
    this.customerUpdates = sessionCustomerUpdatesOf(ctx.store);
  }

  get(id: string, param = 'id'): Stripe.Checkout.Session {
    return mustGet(this.sessions, id, SESSION_NOUN, param);
  }

  itemsOf(sessionId: string): Stripe.LineItem[] {
    return this.lineItems.get(sessionId)?.items ?? [];
  }

  /** What `subscription_data` asked for, kept for when the subscription is created. */
  subscriptionDataOf(session: Stripe.Checkout.Session): SubscriptionData {
    return this.subscriptionData.get(session.id)?.data ?? {};
  }

  /** The trial the subscription will start with, in days (subscription mode only). */
  trialDaysOf(session: Stripe.Checkout.Session): number | null {
    return this.subscriptionDataOf(session).trial_period_days ?? null;
  }

  customerOf(session: Stripe.Checkout.Session): string | null {
    const customer = session.customer;
    return typeof customer === 'string' ? customer : (customer?.id ?? null);
  }

  nowFor(session: Stripe.Checkout.Session): number {
    return this.ctx.clock.nowForCustomer(this.customerOf(session));
  }

  create(params: CreateParams): Stripe.Checkout.Session {
    const { store } = this.ctx;
    if (params.customer && params.customer_email) throw parametersExclusive(['customer', 'customer_email']);
    if (params.allow_promotion_codes && params.discounts?.length) {
      throw parametersExclusive(['allow_promotion_codes', 'discounts']);
    }
    if (params.mode === 'payment' && params.subscription_data) {
      throw invalidRequest('You can not pass `subscription_data` in `payment` mode.', {
        param: 'subscription_data',
      });
    }
    if (params.mode === 'subscription' && params.customer_creation) {
      throw invalidRequest('`customer_creation` can only be used in `payment` and `setup` mode.', {
        param: 'customer_creation',
      });
    }
    if (params.customer_email && !isEmail(params.customer_email)) {
      throw invalidRequest(`Invalid email address: ${params.customer_email}`, {
        param: 'customer_email',
        code: 'email_invalid',
      });
    }
    const customer = params.customer ? requireCustomer(store, params.customer) : null;
    const prices = this.checkedPrices(params);
    checkSessionTax(
      store,
      params,
      customer,
      prices.map((p) => p.price),
    );
    const coupons = this.checkedDiscounts(params.discounts);
    const branding = sessionBranding(params.branding_settings);

    const created = this.ctx.clock.nowForCustomer(customer?.id);
    const expiresAt = params.expires_at ?? created + MAX_LIFETIME;
    if (expiresAt < created + MIN_LIFETIME || expiresAt > created + MAX_LIFETIME) {
      throw invalidRequest(
        'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
        { param: 'expires_at' },
      );
    }
    const session = newCheckoutSession({
      mode: params.mode,
      created,
      expiresAt,
      url: (id) => `${this.ctx.baseUrl()}${PAGE_PREFIX}${id}`,
      currency: prices[0]!.price.currency,
      customer: customer?.id ?? null,
      customerEmail: params.customer_email ?? null,
      customerCreation: params.mode === 'payment' ? (params.customer_creation ?? 'if_required') : null,
      clientReferenceId: params.client_reference_id ?? null,
      successUrl: params.success_url ?? null,
      cancelUrl: params.cancel_url ?? null,
      allowPromotionCodes: params.allow_promotion_codes ?? null,
      discounts: params.discounts?.length
        ? params.discounts.map((d) => ({
            coupon: d.coupon ?? null,
            promotion_code: d.promotion_code ?? null,
          }))
        : null,
      metadata: initialMetadata(params.metadata as MetadataUpdate | undefined),
    });
    Object.assign(session, sessionTaxFields(params));
    if (branding) session.branding_settings = branding;
    const items = prices.map(({ price, quantity }) =>
      newLineItem(
        price,
        quantity,
        // Usage is billed in arrears: nothing is due today for a metered price.
        quantity === null ? 0 : priceAmount(store, price, quantity),
        requireProduct(store, String(price.product)).name,
      ),
    );
    const subscriptionData = params.subscription_data ?? {};
    const taxing = sessionTaxing(store, session, customer && taxCountry(customer));
    applyTotals(session, items, coupons, Boolean(subscriptionData.trial_period_days), taxing);
    this.sessions.save(session);
    this.lineItems.save({ id: session.id, items });
    if (params.customer_update) this.customerUpdates.save({ id: session.id, update: params.customer_update });
    if (params.mode === 'subscription')
      this.subscriptionData.save({ id: session.id, data: subscriptionData });
    return session;
  }

  /** Applies a promotion code entered on the page: the session's only discount from now on. */
  applyPromotionCode(session: Stripe.Checkout.Session, promotionCode: Stripe.PromotionCode): void {
    session.discounts = [{ coupon: null, promotion_code: promotionCode.id }];
    this.reprice(session);
  }

  /** Expires every open session whose time has come, as Stripe does in the background. */
  expireDue(): void {
    for (const session of this.sessions.filter((s) => s.status === 'open')) {
      if (this.nowFor(session) >= session.expires_at) this.expire(session, session.expires_at);
    }
  }

  expire(session: Stripe.Checkout.Session, at: number): Stripe.Checkout.Session {
    if (session.status !== 'open') {
      throw invalidRequest(
        `Only Checkout Sessions with a status of \`open\` can be expired. This Checkout Session has a status of \`${session.status}\`.`,
      );
    }
    session.status = 'expired';
    session.url = null;
    this.sessions.save(session);
    this.ctx.events.emit('checkout.session.expired', session, { created: at });
    return session;
  }

  /** Whether the address and name entered on the page may be saved to the session's customer. */
  customerUpdateOf(session: Stripe.Checkout.Session): Stripe.Checkout.SessionCreateParams.CustomerUpdate {
    return this.customerUpdates.get(session.id)?.update ?? {};
  }

  /** The country the session's tax is worked out for while the page has not given one. */
  private knownCountry(session: Stripe.Checkout.Session): string | null {
    const customer = this.customerOf(session);
    return customer ? taxCountry(requireCustomer(this.ctx.store, customer)) : null;
  }

  /** Prices the session again: its discounts as they are now, its tax for `country` (else the customer's). */
  reprice(session: Stripe.Checkout.Session, country: string | null = this.knownCountry(session)): void {
    const items = this.itemsOf(session.id);
    const coupons = this.checkedDiscounts(
      (session.discounts ?? []).map((d) => ({
        ...(typeof d.coupon === 'string' && { coupon: d.coupon }),
        ...(typeof d.promotion_code === 'string' && { promotion_code: d.promotion_code }),
      })),
    );
    const taxing = sessionTaxing(this.ctx.store, session, country);
    applyTotals(session, items, coupons, Boolean(this.trialDaysOf(session)), taxing);
    this.lineItems.save({ id: session.id, items });
    this.sessions.save(session);
  }

  private checkedPrices(params: CreateParams): Array<{ price: StoredPrice; quantity: number | null }> {
    const lines = params.line_items ?? [];
    if (lines.length === 0) throw parameterMissing('line_items');
    const checked = lines.map((line, i) => {
      const param = `line_items[${i}]`;
      const price = requirePrice(this.ctx.store, line.price!, `${param}[price]`);
      // A metered price takes no quantity: "Quantity should not be defined when
      // `recurring.usage_type=metered`" (Stripe.Checkout.SessionCreateParams.LineItem.quantity).
      const metered = price.recurring?.usage_type === 'metered';
      if (metered && line.quantity !== undefined) {
        throw invalidRequest(
          `Quantity should not be specified where usage_type is \`metered\`. Remove quantity from \`${param}\``,
          { param: `${param}[quantity]` },
        );
      }
      if (!metered && line.quantity === undefined) {
        throw invalidRequest(`Quantity is required. Add \`quantity\` to \`${param}\``, {
          param: `${param}[quantity]`,
        });
      }
      if (!price.active) {
        throw invalidRequest('The price specified is inactive. This field only accepts active prices.', {
          param: `${param}[price]`,
        });
      }
      // Tiered prices (recurring only) are sold in subscription mode
      // (https://docs.stripe.com/payments/subscriptions: flat rate, usage-based and tiered pricing).
      if (price.billing_scheme !== 'tiered' && price.unit_amount === null && !metered) {
        throw invalidRequest('Only prices with a fixed `unit_amount` can be used in Checkout here.', {
          param: `${param}[price]`,
        });
      }
      if (params.mode === 'payment' && price.recurring) {
        throw invalidRequest(
          'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
          { param: `${param}[price]` },
        );
      }
      if (params.mode === 'subscription' && !price.recurring) {
        throw invalidRequest(
          'One-time prices cannot be combined with a subscription in this Checkout: pass only recurring prices in `subscription` mode.',
          { param: `${param}[price]` },
        );
      }
      return { price, quantity: metered ? null : line.quantity! };
    });
    const [first] = checked;
    for (const [i, { price }] of checked.entries()) {
      if (price.currency !== first!.price.currency) {
        throw invalidRequest('All line items must use the same currency.', {
          param: `line_items[${i}][price]`,
        });
      }
      const a = first!.price.recurring;
      const b = price.recurring;
      if (a && b && (a.interval !== b.interval || a.interval_count !== b.interval_count)) {
        throw invalidRequest('Checkout does not support multiple prices with different billing intervals.', {
          param: `line_items[${i}][price]`,
        });
      }
    }
    return checked;
  }

  /** The coupons behind `discounts[]`, each checked to be redeemable now (one discount at most). */
  private checkedDiscounts(
    discounts: Stripe.Checkout.SessionCreateParams.Discount[] | undefined,
  ): CouponTerms[] {
    const list = discounts ?? [];
    if (list.length > 1) {
      throw invalidRequest('You may only specify one discount for a Checkout Session.', {
        param: 'discounts',
      });
    }
    return list.map((discount, i) => {
      const param = `discounts[${i}]`;
      if (discount.coupon && discount.promotion_code) {
        throw parametersExclusive([`${param}[coupon]`, `${param}[promotion_code]`]);
      }
      let couponId = discount.coupon;
      if (discount.promotion_code) {
        const promo = requirePromotionCode(
          this.ctx.store,
          discount.promotion_code,
          `${param}[promotion_code]`,
        );
        if (!promo.active) {
          throw invalidRequest('This promotion code is inactive.', { param: `${param}[promotion_code]` });
        }
        couponId = String(promo.promotion.coupon);
      }
      if (!couponId) throw parameterMissing(`${param}[coupon]`);
      assertCouponRedeemable(this.ctx, couponId, `${param}[coupon]`);
      const coupon = couponsOf(this.ctx.store).get(couponId)!;
      return { id: coupon.id, percent_off: coupon.percent_off, amount_off: coupon.amount_off };
    });
  }
}
