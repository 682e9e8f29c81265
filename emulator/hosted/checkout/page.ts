/**
 * The hosted Checkout page: the order summary (line items, discount, trial, total due today), an
 * email field when no customer is known, a choice of test card, and the Pay/Subscribe button.
 * A closed session (expired or complete) gets a page that says so instead of the form.
 */
import type Stripe from 'stripe';
import { formatDate, formatMoney, type Html, html, intervalText, page } from '../html.js';
import { cardFieldset } from '../test-card-choices.js';

export interface CheckoutPageView {
  session: Stripe.Checkout.Session;
  items: Stripe.LineItem[];
  trialDays: number | null;
  /** The session's time now (its customer's test clock, if any): the trial would start now. */
  now: number;
  /** The email Checkout already knows (the customer's, or `customer_email`). */
  knownEmail: string | null;
  /** The customer-facing code of the applied promotion code, if any. */
  promotionCode: string | null;
  /** What the person entered last time, shown again after an error. */
  entered: { email: string; card: string | null };
  error: string | null;
  promotionError: string | null;
  /** Where the forms post to (`/c/pay/<id>`). */
  action: string;
  /** Whether the page asks for a billing address (asked for, or needed for tax). */
  askAddress: boolean;
}

export function closedCheckoutPage(session: Stripe.Checkout.Session): string {
  if (session.status === 'expired') {
    return page(
      'Checkout expired',
      html`<h1>This Checkout Session has expired</h1>
<p>The link is no longer valid. Return to the merchant's site to start again.</p>
${session.cancel_url ? html`<p><a href="${session.cancel_url}">Return to the merchant</a></p>` : ''}`,
    );
  }
  return page(
    'Checkout complete',
    html`<h1>This Checkout Session is already complete</h1>
<p>${session.mode === 'subscription' ? 'Your subscription is set up.' : 'Your payment was received.'}</p>
${session.success_url ? html`<p><a href="${successUrl(session)}">Continue</a></p>` : ''}`,
  );
}

/** `success_url` with Stripe's `{CHECKOUT_SESSION_ID}` template variable filled in. */
export function successUrl(session: Stripe.Checkout.Session): string {
  return (session.success_url ?? '').replaceAll('{CHECKOUT_SESSION_ID}', session.id);
}

export function checkoutPage(view: CheckoutPageView): string {
  const { session } = view;
  const money = (amount: number) => formatMoney(amount, session.currency ?? 'usd');
  const subscription = session.mode === 'subscription';
  const title = subscription ? 'Subscribe' : 'Pay';
  const button = subscription
    ? view.trialDays
      ? 'Start trial'
      : 'Subscribe'
    : `Pay ${money(session.amount_total ?? 0)}`;

  const rows = view.items.map((item) => {
    const recurring = item.price?.recurring;
    return html`<tr><td>${item.description ?? ''}<div class="muted">${item.quantity === null ? 'Billed by usage' : `Qty ${item.quantity}`}${
      recurring ? html` · billed ${intervalText(recurring)}` : ''
    }</div></td><td class="amount">${money(item.amount_subtotal)}</td></tr>`;
  });
  // The line items carry the discount even when a trial makes today's total zero.
  const discount = view.items.reduce((sum, item) => sum + item.amount_discount, 0);
  const perPeriod = view.items.reduce((sum, item) => sum + item.amount_total, 0);
  const firstRecurring = view.items.find((item) => item.price?.recurring)?.price?.recurring;
  const trialEnd = view.trialDays ? view.now + view.trialDays * 86_400 : null;

  return page(
    `${title} · Checkout`,
    html`${brandingHeader(session.branding_settings)}<h1>${title}</h1>
<section aria-labelledby="summary-heading">
<h2 id="summary-heading">Order summary</h2>
${
  view.trialDays && firstRecurring
    ? html`<p class="notice">${view.trialDays} days free, then ${money(perPeriod)} ${intervalText(firstRecurring)} starting ${formatDate(trialEnd!)}.</p>`
    : ''
}
<table>
<tbody>
${rows}
${
  discount > 0
    ? html`<tr><td>Discount${view.promotionCode ? html` (${view.promotionCode})` : ''}</td><td class="amount">−${money(discount)}</td></tr>`
    : ''
}
${
  session.automatic_tax.enabled
    ? html`<tr><td>Tax${session.automatic_tax.status === 'complete' ? '' : html` <span class="muted">(calculated from your address)</span>`}</td><td class="amount" id="tax-due">${money(session.total_details?.amount_tax ?? 0)}</td></tr>`
    : ''
}
<tr><td><strong>Total due today</strong></td><td class="amount"><strong id="total-due">${money(session.amount_total ?? 0)}</strong></td></tr>
</tbody>
</table>
</section>
${session.allow_promotion_codes ? promotionForm(view) : ''}
<form method="post" action="${view.action}">
${
  view.knownEmail
    ? html`<p>Email: <strong>${view.knownEmail}</strong></p>`
    : html`<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${view.entered.email}">`
}
${view.askAddress ? addressFieldset() : ''}
${
  session.tax_id_collection?.enabled
    ? html`<label for="tax-id">Tax ID (optional)</label>
<input id="tax-id" name="tax_id" type="text" autocomplete="off">`
    : ''
}
${cardFieldset('Test card', view.entered.card)}
${view.error ? html`<p class="error" role="alert" id="payment-error">${view.error}</p>` : ''}
<button type="submit">${button}</button>
</form>
${session.cancel_url ? html`<p><a href="${session.cancel_url}">Cancel and return to the merchant</a></p>` : ''}
<p class="muted">Test mode: no real card is charged. Session expires ${formatDate(session.expires_at)}.</p>`,
  );
}

/** The business the session is branded for: its logo, name and button colour (all validated on create). */
function brandingHeader(branding: Stripe.Checkout.Session.BrandingSettings | undefined): Html | '' {
  if (!branding) return '';
  const image = branding.logo?.url ?? branding.icon?.url;
  const channel = (i: number) => Number.parseInt(branding.button_color.slice(i, i + 2), 16) / 255;
  const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * linear(channel(1)) + 0.7152 * linear(channel(3)) + 0.0722 * linear(channel(5));
  // Whichever of black or white reads better on the button.
  const text = (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) ? '#000000' : '#ffffff';
  return html`<style>button:not(.secondary) { background: ${branding.button_color}; color: ${text}; }</style>
<header class="brand">${image ? html`<img src="${image}" alt="" height="32">` : ''}<p><strong>${branding.display_name}</strong></p></header>
`;
}

function addressFieldset(): Html {
  return html`<fieldset><legend>Billing address</legend>
<label for="line1">Address</label>
<input id="line1" name="line1" type="text" autocomplete="address-line1">
<label for="city">City</label>
<input id="city" name="city" type="text" autocomplete="address-level2">
<label for="postal-code">Postal code</label>
<input id="postal-code" name="postal_code" type="text" autocomplete="postal-code">
<label for="country">Country (two-letter code)</label>
<input id="country" name="country" type="text" autocomplete="country" required maxlength="2">
</fieldset>`;
}

function promotionForm(view: CheckoutPageView): Html {
  return html`<form method="post" action="${view.action}/promotion_code">
<label for="promotion-code">Promotion code</label>
<input id="promotion-code" name="code" type="text" autocomplete="off" value="${view.promotionCode ?? ''}">
<button type="submit" class="secondary">Apply</button>
${view.promotionError ? html`<p class="error" role="alert">${view.promotionError}</p>` : ''}
</form>`;
}
