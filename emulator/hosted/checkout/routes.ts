/**
 * `/v1/checkout/sessions`: create, retrieve, update (metadata), list, expire, and the line items.
 * `line_items` is shown only on request (`expand[]=line_items`), as Stripe does.
 */
import type Stripe from 'stripe';
import { view as invoiceView } from '../../billing/engine/invoicing.js';
import type { EmulatorContext } from '../../core/context.js';
import { inRange, type PaginationParams, paginate } from '../../core/list.js';
import type { RangeFilter } from '../../core/params.js';
import { mergeMetadata } from '../../core/records.js';
import type { CheckoutMode } from './session-objects.js';
import {
  createSessionFields,
  listLineItemsFields,
  listSessionFields,
  updateSessionFields,
} from './session-params.js';
import { type CheckoutSessions, SESSION_NOUN } from './sessions.js';

interface ListParams extends PaginationParams {
  created?: number | RangeFilter;
  customer?: string;
  customer_details?: { email: string };
  payment_intent?: string;
  status?: Stripe.Checkout.Session.Status;
  subscription?: string;
}

const lineItemsUrl = (id: string) => `/v1/checkout/sessions/${id}/line_items`;

export function installCheckoutRoutes(ctx: EmulatorContext, checkout: CheckoutSessions): void {
  // Every request first catches up on the sessions whose expiry time has passed.
  const current = (id: string) => {
    checkout.expireDue();
    return checkout.get(id);
  };

  ctx.route<Stripe.Checkout.SessionCreateParams & { mode: CheckoutMode }>({
    method: 'POST',
    path: '/v1/checkout/sessions',
    params: createSessionFields,
    handler: ({ params }) => {
      checkout.expireDue();
      return checkout.create(params);
    },
  });

  ctx.route({
    method: 'GET',
    path: '/v1/checkout/sessions/:id',
    handler: ({ pathParams }) => current(pathParams.id!),
  });

  ctx.route<{ metadata?: Record<string, string> | null }>({
    method: 'POST',
    path: '/v1/checkout/sessions/:id',
    params: updateSessionFields,
    handler: ({ pathParams, params }) => {
      const session = current(pathParams.id!);
      session.metadata = mergeMetadata(session.metadata, params.metadata);
      return checkout.sessions.save(session);
    },
  });

  ctx.route({
    method: 'POST',
    path: '/v1/checkout/sessions/:id/expire',
    handler: ({ pathParams }) => {
      const session = current(pathParams.id!);
      return checkout.expire(session, checkout.nowFor(session));
    },
  });

  ctx.route<PaginationParams>({
    method: 'GET',
    path: '/v1/checkout/sessions/:id/line_items',
    params: listLineItemsFields,
    handler: ({ pathParams, params }) => {
      const session = current(pathParams.id!);
      // Line items keep the order they were given in; the cursor walks them in that order.
      return paginate(checkout.itemsOf(session.id), params, {
        url: lineItemsUrl(session.id),
        noun: 'line_item',
      });
    },
  });

  ctx.route<ListParams>({
    method: 'GET',
    path: '/v1/checkout/sessions',
    params: listSessionFields,
    handler: ({ params }) => {
      checkout.expireDue();
      return paginate(checkout.sessions.newestFirst(), params, {
        url: '/v1/checkout/sessions',
        noun: SESSION_NOUN,
        matches: (session) =>
          (!params.customer || session.customer === params.customer) &&
          (!params.customer_details || session.customer_details?.email === params.customer_details.email) &&
          (!params.payment_intent || session.payment_intent === params.payment_intent) &&
          (!params.subscription || session.subscription === params.subscription) &&
          (!params.status || session.status === params.status) &&
          inRange(session.created, params.created),
      });
    },
  });

  const { expand } = ctx;
  expand.define('checkout.session', 'line_items', (_value, session) => {
    const id = String(session.id);
    const items = checkout.itemsOf(id);
    return { object: 'list', data: items.slice(0, 10), has_more: items.length > 10, url: lineItemsUrl(id) };
  });
  expand.reference('checkout.session', 'customer', 'customer');
  expand.reference('checkout.session', 'subscription', 'subscription');
  expand.reference('checkout.session', 'payment_intent', 'payment_intent');
  expand.reference('checkout.session', 'setup_intent', 'setup_intent');
  expand.define('checkout.session', 'invoice', (value) => {
    const invoice =
      typeof value === 'string' ? ctx.store.collection<Stripe.Invoice>('invoice').get(value) : undefined;
    return invoice && invoiceView(invoice);
  });
  expand.reference('checkout.session', 'discounts.coupon', 'coupon');
  expand.reference('checkout.session', 'discounts.promotion_code', 'promotion_code');
}
