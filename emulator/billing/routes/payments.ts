// /v1/payment_intents, /v1/charges and /v1/refunds.

import type Stripe from 'stripe';
import type { EmulatorContext } from '../../core/context.js';
import { cardError, invalidRequest } from '../../core/errors.js';
import { inRange, listFields, type PaginationParams, paginate } from '../../core/list.js';
import { p, type RangeFilter } from '../../core/params.js';
import { initialMetadata, mergeMetadata, mustGet } from '../../core/records.js';
import { type SearchParams, searchFields, searchResult } from '../../core/search.js';
import { invoiceForPaymentIntent } from '../engine/collection.js';
import type { Billing } from '../engine/context.js';
import type { EventBatch } from '../engine/event-batch.js';
import { afterIntentConfirmed } from '../engine/manual-invoicing.js';
import { chargePaymentIntent } from '../engine/payments.js';
import { chargeView, createRefund } from '../engine/refunds.js';
import { newPaymentIntent } from '../objects/payment-objects.js';
import { act } from './action.js';

const createIntentFields = {
  amount: p.integer({ required: true, min: 1 }),
  currency: p.string({ required: true }),
  customer: p.ref('customer'),
  payment_method: p.ref('payment_method'),
  automatic_payment_methods: p.object({
    enabled: p.boolean({ required: true }),
    allow_redirects: p.enum(['always', 'never']),
  }),
  confirm: p.boolean(),
  off_session: p.boolean(),
  description: p.string(),
  metadata: p.metadata(),
  receipt_email: p.string(),
  return_url: p.string(),
  setup_future_usage: p.enum(['off_session', 'on_session']),
};

/**
 * Parameters of the confirmation step that creation takes only along with `confirm=true`: "This
 * parameter can only be used with confirm=true" (https://docs.stripe.com/api/payment_intents/create).
 */
const CONFIRM_ONLY = ['off_session', 'return_url'] as const;

function refuseConfirmOnly(params: Stripe.PaymentIntentCreateParams): void {
  if (params.confirm === true) return;
  const param = CONFIRM_ONLY.find((name) => params[name] !== undefined);
  if (param) throw invalidRequest(`You can only pass \`${param}\` when \`confirm\` is true.`, { param });
}

const confirmFields = {
  payment_method: p.ref('payment_method'),
  off_session: p.boolean(),
  return_url: p.string(),
};

type IntentListParams = PaginationParams & { customer?: string; created?: number | RangeFilter };

export function installPaymentRoutes(ctx: EmulatorContext, billing: Billing): void {
  const intents = billing.data.paymentIntents;
  const charges = billing.data.charges;
  const refunds = billing.data.refunds;
  const findIntent = (id: string) => mustGet(intents, id, 'payment_intent');

  /** Confirms, settling the invoice behind the intent when there is one; a decline answers 402. */
  const confirm = (
    batch: EventBatch,
    intent: Stripe.PaymentIntent,
    methodId: string | undefined,
    offSession: boolean,
  ) => {
    const method = methodId ?? (typeof intent.payment_method === 'string' ? intent.payment_method : null);
    if (!method) {
      throw invalidRequest(
        "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with " +
          `${intent.customer ?? 'a customer'}, specify a payment method attached to this customer along with the customer ID.`,
        { code: 'payment_intent_unexpected_state' },
      );
    }
    const at = billing.clock.nowForObject(intent);
    const result = chargePaymentIntent(billing, batch, intent, method, at, {
      session: offSession ? 'off_session' : 'on_session',
    });
    const invoice = invoiceForPaymentIntent(billing, intent.id);
    if (invoice?.status === 'open' && result.status !== 'requires_action') {
      afterIntentConfirmed(billing, batch, invoice, intent, at);
    }
    if (result.status === 'failed') {
      const error = intent.last_payment_error!;
      throw cardError(error.code ?? 'card_declined', error.message ?? 'Your card was declined.', {
        ...(error.decline_code && { declineCode: error.decline_code }),
        extras: { charge: result.charge.id, payment_intent: intent, payment_method: error.payment_method },
      });
    }
    return intent;
  };

  ctx.route<Stripe.PaymentIntentCreateParams>({
    method: 'POST',
    path: '/v1/payment_intents',
    params: createIntentFields,
    handler: ({ params }) =>
      act(billing, (batch) => {
        refuseConfirmOnly(params);
        if (params.customer) billing.catalog.customer(params.customer, 'customer');
        const at = params.customer ? billing.clock.nowForCustomer(params.customer) : billing.clock.now();
        const method = params.payment_method ? billing.catalog.paymentMethod(params.payment_method).id : null;
        const intent = newPaymentIntent({
          amount: params.amount,
          currency: params.currency,
          customer: params.customer ?? null,
          description: params.description ?? null,
          metadata: initialMetadata(params.metadata as Record<string, string> | undefined),
          paymentMethod: method,
          created: at,
          setupFutureUsage: params.setup_future_usage ?? null,
        });
        if (params.automatic_payment_methods?.enabled) {
          intent.automatic_payment_methods = {
            allow_redirects: params.automatic_payment_methods.allow_redirects ?? 'always',
            enabled: true,
          };
        }
        intents.save(intent);
        batch.record('payment_intent.created', intent, at);
        if (params.confirm) return confirm(batch, intent, undefined, params.off_session === true);
        return intent;
      }),
  });
  ctx.route({
    method: 'GET',
    path: '/v1/payment_intents/:id',
    handler: ({ pathParams }) => findIntent(pathParams.id!),
  });
  ctx.route<Stripe.PaymentIntentUpdateParams>({
    method: 'POST',
    path: '/v1/payment_intents/:id',
    params: {
      amount: p.integer({ min: 1 }),
      description: p.string(),
      metadata: p.metadata(),
      payment_method: p.ref('payment_method'),
    },
    handler: ({ pathParams, params }) => {
      const intent = findIntent(pathParams.id!);
      if (intent.status === 'succeeded' || intent.status === 'canceled') {
        throw invalidRequest(`This PaymentIntent's status is ${intent.status} and it cannot be updated.`, {
          code: 'payment_intent_unexpected_state',
        });
      }
      if (params.amount !== undefined) intent.amount = params.amount;
      if (params.description !== undefined) intent.description = params.description || null;
      if (params.metadata !== undefined) {
        intent.metadata = mergeMetadata(intent.metadata, params.metadata as Record<string, string> | null);
      }
      if (params.payment_method) {
        intent.payment_method = billing.catalog.paymentMethod(params.payment_method).id;
        intent.status = 'requires_confirmation';
      }
      return intents.save(intent);
    },
  });
  ctx.route<{ payment_method?: string; off_session?: boolean }>({
    method: 'POST',
    path: '/v1/payment_intents/:id/confirm',
    params: confirmFields,
    handler: ({ pathParams, params }) =>
      act(billing, (batch) =>
        confirm(batch, findIntent(pathParams.id!), params.payment_method, params.off_session === true),
      ),
  });
  ctx.route<{ cancellation_reason?: Stripe.PaymentIntent.CancellationReason }>({
    method: 'POST',
    path: '/v1/payment_intents/:id/cancel',
    params: {
      cancellation_reason: p.enum(['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer']),
    },
    handler: ({ pathParams, params }) =>
      act(billing, (batch) => {
        const intent = findIntent(pathParams.id!);
        if (intent.status === 'succeeded' || intent.status === 'canceled') {
          throw invalidRequest(
            `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
            { code: 'payment_intent_unexpected_state' },
          );
        }
        const at = billing.clock.nowForObject(intent);
        intent.status = 'canceled';
        intent.canceled_at = at;
        intent.cancellation_reason = params.cancellation_reason ?? null;
        intents.save(intent);
        batch.record('payment_intent.canceled', intent, at);
        return intent;
      }),
  });
  ctx.route<IntentListParams>({
    method: 'GET',
    path: '/v1/payment_intents',
    params: listFields({ customer: p.string(), created: p.range() }),
    handler: ({ params }) =>
      paginate(intents.newestFirst(), params, {
        url: '/v1/payment_intents',
        noun: 'payment_intent',
        matches: (i) =>
          (!params.customer || i.customer === params.customer) && inRange(i.created, params.created),
      }),
  });

  ctx.route({
    method: 'GET',
    path: '/v1/charges/:id',
    handler: ({ pathParams }) => chargeView(billing, mustGet(charges, pathParams.id!, 'charge')),
  });
  ctx.route<IntentListParams & { payment_intent?: string }>({
    method: 'GET',
    path: '/v1/charges',
    params: listFields({ customer: p.string(), payment_intent: p.string(), created: p.range() }),
    handler: ({ params }) => {
      const page = paginate(charges.newestFirst(), params, {
        url: '/v1/charges',
        noun: 'charge',
        matches: (c) =>
          (!params.customer || c.customer === params.customer) &&
          (!params.payment_intent || c.payment_intent === params.payment_intent) &&
          inRange(c.created, params.created),
      });
      return { ...page, data: page.data.map((c) => chargeView(billing, c)) };
    },
  });
  ctx.route<SearchParams>({
    method: 'GET',
    path: '/v1/charges/search',
    params: searchFields,
    handler: ({ params }) =>
      searchResult(charges.newestFirst(), params, {
        url: '/v1/charges/search',
        resource: 'charges',
        fields: {
          customer: (c) => (c.customer as string | null) ?? null,
          status: (c) => c.status,
          amount: (c) => c.amount,
          refunded: (c) => c.refunded,
          created: (c) => c.created,
          payment_intent: (c) => (c.payment_intent as string | null) ?? null,
        },
      }),
  });

  ctx.route<Stripe.RefundCreateParams>({
    method: 'POST',
    path: '/v1/refunds',
    params: {
      charge: p.ref('charge'),
      payment_intent: p.ref('payment_intent'),
      amount: p.integer({ min: 1 }),
      reason: p.enum(['duplicate', 'fraudulent', 'requested_by_customer']),
      metadata: p.metadata(),
    },
    handler: ({ params }) => act(billing, (batch) => createRefund(billing, batch, params)),
  });
  ctx.route({
    method: 'GET',
    path: '/v1/refunds/:id',
    handler: ({ pathParams }) => mustGet(refunds, pathParams.id!, 'refund'),
  });
  ctx.route<{ metadata?: Record<string, string> | null }>({
    method: 'POST',
    path: '/v1/refunds/:id',
    params: { metadata: p.metadata() },
    handler: ({ pathParams, params }) => {
      const refund = mustGet(refunds, pathParams.id!, 'refund');
      refund.metadata = mergeMetadata(refund.metadata ?? {}, params.metadata);
      return refunds.save(refund);
    },
  });
  ctx.route<PaginationParams & { charge?: string; payment_intent?: string; created?: number | RangeFilter }>({
    method: 'GET',
    path: '/v1/refunds',
    params: listFields({ charge: p.string(), payment_intent: p.string(), created: p.range() }),
    handler: ({ params }) =>
      paginate(refunds.newestFirst(), params, {
        url: '/v1/refunds',
        noun: 'refund',
        matches: (r) =>
          (!params.charge || r.charge === params.charge) &&
          (!params.payment_intent || r.payment_intent === params.payment_intent) &&
          inRange(r.created, params.created),
      }),
  });
}
