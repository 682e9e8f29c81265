/**
 * The billing portal page: the customer's subscriptions (plan, status, next charge) with plan
 * changes and cancellation, the card on file with a choice of replacement, and the invoice
 * history linking to each invoice's hosted page and PDF. A session opened on a flow shows only
 * that flow's part; the configuration decides which parts exist at all.
 */
import type Stripe from 'stripe';
import { formatDate, formatMoney, type Html, html, page } from '../html.js';
import { cardFieldset } from '../test-card-choices.js';

export interface PlanChoice {
  price: string;
  label: string;
}

export interface SubscriptionView {
  subscription: Stripe.Subscription;
  /** `Basic — $20.00 per month`. */
  plan: string;
  /** `Active`, `Trial ends …`, `Cancels on …`. */
  status: string;
  /** `$20.00 on February 15, 2026`, or null when nothing more will be charged. */
  nextCharge: string | null;
  choices: PlanChoice[];
  canCancel: boolean;
}

export interface PortalPageView {
  session: Stripe.BillingPortal.Session;
  headline: string | null;
  email: string | null;
  subscriptions: SubscriptionView[];
  /** `Visa •••• 4242`, or null when the customer has no default card. */
  card: string | null;
  cardUpdate: boolean;
  /** Null when the configuration hides the invoice history. */
  invoices: Stripe.Invoice[] | null;
  flow: Stripe.BillingPortal.Session.Flow | null;
  notice: string | null;
  error: string | null;
  /** Where the forms post to (`/p/session/<id>`). */
  action: string;
}

function subscriptionSection(view: PortalPageView, item: SubscriptionView, only?: 'cancel' | 'update'): Html {
  const { subscription } = item;
  const hidden = html`<input type="hidden" name="subscription" value="${subscription.id}">`;
  const heading = `plan-${subscription.id}`;
  const planChange =
    only !== 'cancel' && item.choices.length > 0
      ? html`<form method="post" action="${view.action}/update">${hidden}
<fieldset><legend>Change plan</legend>${item.choices.map(
          (choice) =>
            html`<label for="price-${choice.price}"><input type="radio" id="price-${choice.price}" name="price" value="${choice.price}" required> ${choice.label}</label>`,
        )}</fieldset>
<button type="submit">Update plan</button>
</form>`
      : '';
  const cancel =
    only !== 'update' && item.canCancel
      ? subscription.cancel_at_period_end
        ? html`<form method="post" action="${view.action}/renew">${hidden}<button type="submit" class="secondary">Renew plan</button></form>`
        : html`<form method="post" action="${view.action}/cancel">${hidden}<button type="submit" class="secondary">Cancel plan</button></form>`
      : '';
  return html`<section aria-labelledby="${heading}">
<h2 id="${heading}">${item.plan}</h2>
<p><span class="status">${item.status}</span>${item.nextCharge ? html` · Next charge ${item.nextCharge}` : ''}</p>
${planChange}
${cancel}
</section>`;
}

function cardSection(view: PortalPageView): Html {
  return html`<section aria-labelledby="payment-method-heading">
<h2 id="payment-method-heading">Payment method</h2>
<p>${view.card ?? 'No card on file.'}</p>
${
  view.cardUpdate
    ? html`<form method="post" action="${view.action}/payment_method">
${cardFieldset('New card', null)}
<button type="submit">Update card</button>
</form>`
    : ''
}
</section>`;
}

function invoiceSection(invoices: Stripe.Invoice[]): Html {
  const rows = invoices.map((invoice) => {
    const number = invoice.number ?? invoice.id;
    const links = html`${invoice.hosted_invoice_url ? html`<a href="${invoice.hosted_invoice_url}">View invoice ${number}</a>` : ''}
${invoice.invoice_pdf ? html`<a href="${invoice.invoice_pdf}">Download PDF</a>` : ''}`;
    return html`<tr><td>${formatDate(invoice.created)}</td><td>${number}</td><td class="amount">${formatMoney(invoice.total, invoice.currency)}</td><td>${invoice.status ?? ''}</td><td>${links}</td></tr>`;
  });
  return html`<section aria-labelledby="invoices-heading">
<h2 id="invoices-heading">Invoice history</h2>
${
  invoices.length
    ? html`<table><thead><tr><th>Date</th><th>Number</th><th class="amount">Amount</th><th>Status</th><th>Links</th></tr></thead>
<tbody>${rows}</tbody></table>`
    : html`<p>No invoices yet.</p>`
}
</section>`;
}

function flowBody(view: PortalPageView, flow: Stripe.BillingPortal.Session.Flow): Html {
  if (flow.type === 'payment_method_update') return cardSection(view);
  const target = flow.subscription_cancel?.subscription ?? flow.subscription_update?.subscription;
  const item = view.subscriptions.find((s) => s.subscription.id === target);
  if (!item) return html`<p>This subscription can no longer be changed.</p>`;
  return subscriptionSection(view, item, flow.type === 'subscription_cancel' ? 'cancel' : 'update');
}

export function portalPage(view: PortalPageView): string {
  const { session } = view;
  const body = view.flow
    ? flowBody(view, view.flow)
    : html`${view.subscriptions.length ? view.subscriptions.map((item) => subscriptionSection(view, item)) : html`<p>No active subscriptions.</p>`}
${cardSection(view)}
${view.invoices ? invoiceSection(view.invoices) : ''}`;
  return page(
    'Billing portal',
    html`<h1>${view.headline ?? 'Manage your billing'}</h1>
${view.email ? html`<p class="muted">${view.email}</p>` : ''}
${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
${view.error ? html`<p class="error" role="alert">${view.error}</p>` : ''}
${body}
${session.return_url ? html`<p><a href="${session.return_url}">Return</a></p>` : ''}`,
  );
}

/** The page after a flow whose `after_completion` asks for Stripe's hosted confirmation. */
export function confirmationPage(session: Stripe.BillingPortal.Session, message: string | null): string {
  return page(
    'Billing portal',
    html`<h1>All set</h1>
<p role="status">${message ?? 'Your changes have been saved.'}</p>
${session.return_url ? html`<p><a href="${session.return_url}">Return</a></p>` : ''}`,
  );
}
