/**
 * The hosted Checkout page at a session's `url`: `GET /c/pay/<id>` shows it, `POST /c/pay/<id>`
 * pays (303 to `success_url` on success, the page again with the error on a decline), and
 * `POST /c/pay/<id>/promotion_code` applies a promotion code when the session allows them.
 * A card that asks for 3D Secure is answered with the challenge page instead, whose buttons post
 * to `POST /c/pay/<id>/authenticate`: completed, the payment goes ahead authenticated; failed,
 * nothing is created and the page says so, as Checkout does
 * (https://docs.stripe.com/payments/3d-secure/authentication-flow#testing).
 */
import type { ServerResponse } from 'node:http';
import type Stripe from 'stripe';
import { challengePage } from '../../billing/documents/challenge-page.js';
import type { EmulatorContext } from '../../core/context.js';
import { couponsOf, promotionCodesOf } from '../../resources/collections.js';
import { findPromotionCodeByCode, requireCustomer } from '../../resources/lookups.js';
import { TEST_CARDS } from '../../resources/test-cards.js';
import { notFound, readForm, redirect, sendHtml } from '../html.js';
import { type CardChoice, cardChoice, cardLabel, needsChallenge } from '../test-card-choices.js';
import { completeCheckout } from './completion.js';
import { type CheckoutPageView, checkoutPage, closedCheckoutPage, successUrl } from './page.js';
import { needsAddress } from './session-tax.js';
import { type CheckoutSessions, PAGE_PREFIX } from './sessions.js';

/** The billing address fields the page posts, named as Stripe names an address's. */
const ADDRESS_FIELDS = ['line1', 'city', 'postal_code', 'country'] as const;

type Feedback = Partial<Pick<CheckoutPageView, 'entered' | 'error' | 'promotionError'>>;

/** What Checkout tells a customer whose 3D Secure authentication failed. */
const AUTHENTICATION_FAILED =
  'We are unable to authenticate your payment method. Please choose a different payment method and try again.';

/** The issuer's challenge for the chosen card, carrying the form's email and card through. */
function challenge(
  session: Stripe.Checkout.Session,
  card: CardChoice,
  entered: { email: string; card: string | null },
  taxFields: Record<string, string>,
): string {
  const testCard = TEST_CARDS[card.paymentMethod.replace(/^pm_card_/, '')]!;
  return challengePage({
    merchant: 'The business',
    amount: session.amount_total ?? 0,
    currency: session.currency ?? 'usd',
    card: cardLabel(testCard.brand, testCard.last4),
    action: `${PAGE_PREFIX}${session.id}/authenticate`,
    hidden: { ...taxFields, email: entered.email, card: entered.card ?? '' },
  });
}

export function installCheckoutPages(ctx: EmulatorContext, checkout: CheckoutSessions): void {
  const show = (
    res: ServerResponse,
    session: Stripe.Checkout.Session,
    status: number,
    feedback: Feedback,
  ) => {
    if (session.status !== 'open') {
      sendHtml(res, status, closedCheckoutPage(session));
      return;
    }
    const customer = checkout.customerOf(session);
    const promotion = session.discounts?.[0]?.promotion_code;
    sendHtml(
      res,
      status,
      checkoutPage({
        session,
        items: checkout.itemsOf(session.id),
        trialDays: checkout.trialDaysOf(session),
        now: checkout.nowFor(session),
        knownEmail: session.customer_email ?? (customer ? requireCustomer(ctx.store, customer).email : null),
        promotionCode:
          typeof promotion === 'string' ? (promotionCodesOf(ctx.store).get(promotion)?.code ?? null) : null,
        entered: feedback.entered ?? { email: '', card: null },
        error: feedback.error ?? null,
        promotionError: feedback.promotionError ?? null,
        action: `${PAGE_PREFIX}${session.id}`,
        askAddress: needsAddress(session, customer ? requireCustomer(ctx.store, customer) : null),
      }),
    );
  };

  const applyPromotionCode = (res: ServerResponse, session: Stripe.Checkout.Session, code: string) => {
    if (!session.allow_promotion_codes) {
      show(res, session, 400, { promotionError: 'This Checkout Session does not accept promotion codes.' });
      return;
    }
    const promotion = code.trim() ? findPromotionCodeByCode(ctx.store, code.trim()) : undefined;
    const coupon = promotion && couponsOf(ctx.store).get(String(promotion.promotion.coupon));
    const now = checkout.nowFor(session);
    const usable =
      promotion &&
      coupon?.valid &&
      (promotion.expires_at === null || promotion.expires_at > now) &&
      (!promotion.customer || promotion.customer === checkout.customerOf(session));
    if (!usable) {
      show(res, session, 400, { promotionError: 'This code is invalid.' });
      return;
    }
    checkout.applyPromotionCode(session, promotion);
    redirect(res, `${PAGE_PREFIX}${session.id}`);
  };

  ctx.raw(PAGE_PREFIX, async (req, res, url) => {
    const match = /^\/c\/pay\/([A-Za-z0-9_]+)(\/promotion_code|\/authenticate)?$/.exec(url.pathname);
    checkout.expireDue();
    const session = match ? checkout.sessions.get(match[1]!) : undefined;
    if (!match || !session) {
      notFound(res, 'This Checkout Session does not exist.');
      return;
    }
    if (req.method === 'GET' && !match[2]) {
      show(res, session, 200, {});
      return;
    }
    if (req.method !== 'POST') {
      notFound(res, 'This page only answers GET and form POST requests.');
      return;
    }
    const form = await readForm(req);
    if (session.status !== 'open') {
      show(res, session, 409, {});
      return;
    }
    if (match[2] === '/promotion_code') {
      applyPromotionCode(res, session, form.get('code') ?? '');
      return;
    }
    const entered = { email: form.get('email') ?? '', card: form.get('card') };
    const card = cardChoice(entered.card);
    if (!card) {
      show(res, session, 400, { entered, error: 'Choose a test card.' });
      return;
    }
    const answered = match[2] === '/authenticate';
    if (answered && form.get('outcome') !== 'complete') {
      show(res, session, 402, { entered, error: AUTHENTICATION_FAILED });
      return;
    }
    // The billing address and tax id entered ride through the challenge with the email and card.
    const taxFields = Object.fromEntries(
      [...ADDRESS_FIELDS, 'tax_id'].flatMap((field) => {
        const value = form.get(field);
        return value ? [[field, value]] : [];
      }),
    );
    if (!answered && needsChallenge(card)) {
      sendHtml(res, 200, challenge(session, card, entered, taxFields));
      return;
    }
    const address = ADDRESS_FIELDS.some((field) => taxFields[field])
      ? Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, taxFields[field]?.trim() || null]))
      : null;
    const outcome = completeCheckout(ctx, checkout, session, {
      email: entered.email || null,
      card,
      authenticated: answered,
      address,
      taxId: taxFields.tax_id ?? null,
    });
    if (!outcome.completed) {
      show(res, session, outcome.status, { entered, error: outcome.error });
      return;
    }
    redirect(res, session.success_url ? successUrl(session) : `${PAGE_PREFIX}${session.id}`);
  });
}
