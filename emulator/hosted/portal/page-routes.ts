/**
 * The billing portal page at a portal session's `url`: `GET /p/session/<id>` shows it; form POSTs
 * to `…/update`, `…/cancel`, `…/renew` and `…/payment_method` act, then redirect back with a
 * notice (or, at the end of a flow, do what `after_completion` says). A refused action (a declined
 * card) shows the page again with the error.
 */
import type { ServerResponse } from 'node:http';
import type Stripe from 'stripe';
import { billingApi } from '../../billing/api.js';
import type { EmulatorContext } from '../../core/context.js';
import { StripeApiError } from '../../core/errors.js';
import { paymentMethodsOf } from '../../resources/collections.js';
import { requireCustomer, requireProduct } from '../../resources/lookups.js';
import { formatDate, formatMoney, intervalText, notFound, readForm, redirect, sendHtml } from '../html.js';
import { cardChoice, cardLabel } from '../test-card-choices.js';
import type { PortalActions } from './actions.js';
import { confirmationPage, type PortalPageView, portalPage, type SubscriptionView } from './page.js';
import { PORTAL_PREFIX, type PortalSessions } from './sessions.js';

type Session = Stripe.BillingPortal.Session;

const NOTICES: Record<string, string> = {
  plan_updated: 'Your plan has been updated.',
  cancel_scheduled: 'Your plan will be canceled at the end of the billing period.',
  canceled: 'Your plan has been canceled.',
  renewed: 'Your plan will renew as usual.',
  card_updated: 'Your card has been updated.',
};

const STATUS_WORDS: Record<string, string> = {
  active: 'Active',
  past_due: 'Past due',
  unpaid: 'Unpaid',
  paused: 'Paused',
  incomplete: 'Incomplete',
};

export function installPortalPages(
  ctx: EmulatorContext,
  portal: PortalSessions,
  actions: PortalActions,
): void {
  interface PriceLike {
    product: unknown;
    unit_amount: number | null;
    currency: string;
    recurring: { interval: string; interval_count: number; usage_type: string } | null;
  }
  const priceLabel = (price: PriceLike, quantity = 1) => {
    const name = requireProduct(ctx.store, String(price.product)).name;
    const amount = formatMoney((price.unit_amount ?? 0) * quantity, price.currency);
    const times =
      price.recurring?.usage_type === 'metered' ? ' per unit used' : quantity > 1 ? ` × ${quantity}` : '';
    return `${name}${times} — ${amount} ${price.recurring ? intervalText(price.recurring) : ''}`.trim();
  };

  const subscriptionView = (session: Session, subscription: Stripe.Subscription): SubscriptionView => {
    const periodEnd = subscription.items.data[0]?.current_period_end ?? subscription.billing_cycle_anchor;
    const canceling = subscription.cancel_at_period_end || subscription.cancel_at !== null;
    const status = canceling
      ? `Cancels on ${formatDate(subscription.cancel_at ?? periodEnd)}`
      : subscription.status === 'trialing'
        ? `Trial ends ${formatDate(subscription.trial_end ?? periodEnd)}`
        : (STATUS_WORDS[subscription.status] ?? subscription.status);
    const charging = !canceling && ['active', 'trialing', 'past_due'].includes(subscription.status);
    const preview = charging ? billingApi(ctx).previewInvoice({ subscription: subscription.id }) : null;
    return {
      subscription,
      plan: subscription.items.data.map((item) => priceLabel(item.price, item.quantity ?? 1)).join(', '),
      status,
      nextCharge: preview
        ? `${formatMoney(preview.amount_due, preview.currency)} on ${formatDate(periodEnd)}`
        : null,
      choices: actions
        .allowedPrices(session, subscription)
        .map((price) => ({ price: price.id, label: priceLabel(price) })),
      canCancel: portal.configurationOf(session).features.subscription_cancel.enabled,
    };
  };

  const defaultCard = (customer: Stripe.Customer, subscriptions: Stripe.Subscription[]) => {
    const id =
      customer.invoice_settings.default_payment_method ??
      subscriptions.find((s) => s.default_payment_method)?.default_payment_method;
    const card = typeof id === 'string' ? paymentMethodsOf(ctx.store).get(id)?.card : undefined;
    return card ? cardLabel(card.brand, card.last4) : null;
  };

  const show = (
    res: ServerResponse,
    session: Session,
    status: number,
    extra: { notice?: string; error?: string },
  ) => {
    const configuration = portal.configurationOf(session);
    const customer = requireCustomer(ctx.store, session.customer);
    const subscriptions = actions.subscriptionsOf(session);
    const invoices = ctx.store
      .collection<Stripe.Invoice>('invoice')
      .newestFirst()
      .filter((invoice) => invoice.customer === customer.id && invoice.status !== 'draft');
    const view: PortalPageView = {
      session,
      headline: configuration.business_profile.headline,
      email: customer.email,
      subscriptions: subscriptions.map((subscription) => subscriptionView(session, subscription)),
      card: defaultCard(customer, subscriptions),
      cardUpdate: configuration.features.payment_method_update.enabled,
      invoices: configuration.features.invoice_history.enabled ? invoices : null,
      flow: portal.pendingFlow(session),
      notice: extra.notice ?? null,
      error: extra.error ?? null,
      action: `${PORTAL_PREFIX}${session.id}`,
    };
    sendHtml(res, status, portalPage(view));
  };

  /** Runs one form action; answers the key of the notice to show. */
  const act = (session: Session, action: string, form: URLSearchParams): string => {
    const subscription = form.get('subscription') ?? '';
    switch (action) {
      case 'update':
        actions.changePlan(session, subscription, form.get('price') ?? '');
        return 'plan_updated';
      case 'cancel':
        return actions.cancel(session, subscription).status === 'canceled' ? 'canceled' : 'cancel_scheduled';
      case 'renew':
        actions.renew(session, subscription);
        return 'renewed';
      default: {
        // payment_method: the only other action the path allows.
        const card = cardChoice(form.get('card'));
        if (!card)
          throw new StripeApiError(400, { type: 'invalid_request_error', message: 'Choose a test card.' });
        actions.updateCard(session, card);
        return 'card_updated';
      }
    }
  };

  ctx.raw(PORTAL_PREFIX, async (req, res, url) => {
    const match = /^\/p\/session\/([A-Za-z0-9_]+)(?:\/(update|cancel|renew|payment_method))?$/.exec(
      url.pathname,
    );
    const session = match ? portal.get(match[1]!) : undefined;
    if (!match || !session) {
      notFound(res, 'This portal session does not exist.');
      return;
    }
    const action = match[2];
    if (req.method === 'GET' && !action) {
      const notice = NOTICES[url.searchParams.get('notice') ?? ''];
      show(res, session, 200, notice ? { notice } : {});
      return;
    }
    if (req.method !== 'POST' || !action) {
      notFound(res, 'This page only answers GET and form POST requests.');
      return;
    }
    const form = await readForm(req);
    let notice: string;
    try {
      notice = act(session, action, form);
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      show(res, session, error.status === 402 ? 402 : 400, { error: error.body.message });
      return;
    }
    const flow = portal.pendingFlow(session);
    const home = `${PORTAL_PREFIX}${session.id}?notice=${notice}`;
    if (!flow) {
      redirect(res, home);
      return;
    }
    portal.completeFlow(session);
    const after = flow.after_completion;
    if (after.type === 'redirect' && after.redirect) redirect(res, after.redirect.return_url);
    else if (after.type === 'hosted_confirmation') {
      sendHtml(res, 200, confirmationPage(session, after.hosted_confirmation?.custom_message ?? null));
    } else redirect(res, home);
  });
}
