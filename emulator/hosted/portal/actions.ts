/**
 * What the portal page lets a customer do, each checked against the session's configuration and
 * carried out through the billing engine (`billingApi`) so Stripe's events go out: change plan,
 * cancel (at period end or at once, as configured), undo a pending cancellation, and replace the
 * card, which becomes the default of the customer and of the subscriptions that named one.
 */
import type Stripe from 'stripe';
import { billingApi } from '../../billing/api.js';
import type { EmulatorContext } from '../../core/context.js';
import { previousAttributes } from '../../core/diff.js';
import { invalidRequest } from '../../core/errors.js';
import { customersOf, pricesOf, type StoredPrice } from '../../resources/collections.js';
import { requireCustomer, resolvePaymentMethod } from '../../resources/lookups.js';
import { attachPaymentMethod } from '../../resources/payment-methods/attachment.js';
import type { CardChoice } from '../test-card-choices.js';
import type { PortalSessions } from './sessions.js';

type Session = Stripe.BillingPortal.Session;

const ENDED: ReadonlyArray<Stripe.Subscription.Status> = ['canceled', 'incomplete_expired'];

export class PortalActions {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly portal: PortalSessions,
  ) {}

  /** The customer's subscriptions the portal shows: every one that has not ended, newest first. */
  subscriptionsOf(session: Session): Stripe.Subscription[] {
    return this.ctx.store
      .collection<Stripe.Subscription>('subscription')
      .newestFirst()
      .filter((s) => s.customer === session.customer && !ENDED.includes(s.status));
  }

  /**
   * The prices a subscription may switch to: those the configuration lists under
   * `features.subscription_update.products`, or, when it lists none, every active recurring
   * fixed-amount licensed price in the subscription's currency. The current price is left out.
   */
  allowedPrices(session: Session, subscription: Stripe.Subscription): StoredPrice[] {
    const configuration = this.portal.configurationOf(session);
    const update = configuration.features.subscription_update;
    if (!update.enabled || !update.default_allowed_updates.includes('price')) return [];
    if (subscription.items.data.length !== 1) return [];
    const current = subscription.items.data[0]!.price.id;
    const listed = this.portal.configurations.productsOf(configuration.id);
    const allowedIds = listed ? new Set(listed.flatMap((product) => product.prices)) : null;
    return pricesOf(this.ctx.store)
      .all()
      .filter(
        (price) =>
          price.id !== current &&
          price.active &&
          price.recurring !== null &&
          // A metered price is billed by usage, not a plan to switch a whole subscription to.
          price.recurring.usage_type !== 'metered' &&
          price.unit_amount !== null &&
          price.currency === subscription.currency &&
          (allowedIds ? allowedIds.has(price.id) : true),
      );
  }

  changePlan(session: Session, subscriptionId: string, priceId: string): Stripe.Subscription {
    const subscription = this.ownSubscription(session, subscriptionId);
    if (!this.allowedPrices(session, subscription).some((price) => price.id === priceId)) {
      throw invalidRequest('This plan is not available for your subscription.');
    }
    const update = this.portal.configurationOf(session).features.subscription_update;
    const params: Stripe.SubscriptionUpdateParams = {
      items: [{ id: subscription.items.data[0]!.id, price: priceId }],
      proration_behavior: update.proration_behavior as Stripe.SubscriptionUpdateParams.ProrationBehavior,
    };
    if (update.billing_cycle_anchor === 'now') params.billing_cycle_anchor = { type: 'now' };
    if (subscription.status === 'trialing' && update.trial_update_behavior === 'end_trial') {
      params.trial_end = 'now';
    }
    return billingApi(this.ctx).updateSubscription(subscription.id, params);
  }

  cancel(session: Session, subscriptionId: string): Stripe.Subscription {
    const subscription = this.ownSubscription(session, subscriptionId);
    const cancel = this.portal.configurationOf(session).features.subscription_cancel;
    if (!cancel.enabled) throw invalidRequest('Cancelling is not available in this portal.');
    const billing = billingApi(this.ctx);
    if (cancel.mode === 'at_period_end') {
      return billing.updateSubscription(subscription.id, { cancel_at_period_end: true });
    }
    return billing.cancelSubscription(subscription.id, {
      prorate: cancel.proration_behavior !== 'none',
      invoice_now: cancel.proration_behavior === 'always_invoice',
    });
  }

  /** Undoes a cancellation scheduled for the period end. */
  renew(session: Session, subscriptionId: string): Stripe.Subscription {
    const subscription = this.ownSubscription(session, subscriptionId);
    if (!subscription.cancel_at_period_end) return subscription;
    return billingApi(this.ctx).updateSubscription(subscription.id, { cancel_at_period_end: false });
  }

  /** Attaches the chosen card (a declining one fails here) and makes it the default. */
  updateCard(session: Session, card: CardChoice): Stripe.PaymentMethod {
    if (!this.portal.configurationOf(session).features.payment_method_update.enabled) {
      throw invalidRequest('Updating the payment method is not available in this portal.');
    }
    const method = attachPaymentMethod(
      this.ctx,
      resolvePaymentMethod(this.ctx, card.paymentMethod),
      session.customer,
    );
    const customers = customersOf(this.ctx.store);
    const before = requireCustomer(this.ctx.store, session.customer);
    const after = {
      ...before,
      invoice_settings: { ...before.invoice_settings, default_payment_method: method.id },
    };
    customers.save(after);
    this.ctx.events.emit('customer.updated', after, {
      previousAttributes: previousAttributes(before, after),
    });
    const billing = billingApi(this.ctx);
    for (const subscription of this.subscriptionsOf(session)) {
      if (subscription.default_payment_method) {
        billing.updateSubscription(subscription.id, { default_payment_method: method.id });
      }
    }
    return method;
  }

  private ownSubscription(session: Session, subscriptionId: string): Stripe.Subscription {
    const subscription = this.subscriptionsOf(session).find((s) => s.id === subscriptionId);
    if (!subscription) throw invalidRequest('This subscription cannot be managed here.');
    return subscription;
  }
}
