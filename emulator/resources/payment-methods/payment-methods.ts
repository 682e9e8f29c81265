/**
 * `/v1/payment_methods`: card payment methods from test tokens, attach/detach, update, list, and
 * a customer's payment methods under `/v1/customers/:id/payment_methods`.
 */
import type Stripe from 'stripe';
import type { EmulatorContext, EmulatorModule } from '../../core/context.js';
import { onlyChanged, previousAttributes } from '../../core/diff.js';
import { invalidRequest, parameterMissing, resourceMissing } from '../../core/errors.js';
import { listFields, type PaginationParams, paginate } from '../../core/list.js';
import { p } from '../../core/params.js';
import { initialMetadata, type MetadataUpdate, mergeMetadata, mustGet } from '../../core/records.js';
import { paymentMethodsOf } from '../collections.js';
import { customerPaymentMethodsFields } from '../customers/customer-params.js';
import { requireCustomer } from '../lookups.js';
import { type AddressInput, addressParam, toAddress } from '../shared-params.js';
import { testCardName } from '../test-cards.js';
import { attachPaymentMethod, detachPaymentMethod } from './attachment.js';
import { createCardPaymentMethod, PAYMENT_METHOD_NOUN, resolvePaymentMethod } from './card-objects.js';

interface BillingDetailsInput {
  address?: AddressInput | null;
  email?: string | null;
  name?: string | null;
  phone?: string | null;
  tax_id?: string;
}

interface PaymentMethodCreate {
  type?: string;
  card?: { token?: string; number?: string; exp_month?: number; exp_year?: number; cvc?: string };
  billing_details?: BillingDetailsInput;
  metadata?: MetadataUpdate | null;
  allow_redisplay?: Stripe.PaymentMethod.AllowRedisplay;
}

interface PaymentMethodUpdate {
  billing_details?: BillingDetailsInput;
  card?: { exp_month?: number; exp_year?: number };
  metadata?: MetadataUpdate | null;
  allow_redisplay?: Stripe.PaymentMethod.AllowRedisplay;
}

interface PaymentMethodList extends PaginationParams {
  customer?: string;
  type?: string;
  allow_redisplay?: string;
}

const billingDetailsParam = p.object({
  address: addressParam,
  email: p.string({ emptyable: true }),
  name: p.string({ emptyable: true }),
  phone: p.string({ emptyable: true }),
  tax_id: p.string(),
});

const allowRedisplay = p.enum(['always', 'limited', 'unspecified']);

function billingDetails(
  current: Stripe.PaymentMethod.BillingDetails | null,
  input: BillingDetailsInput | undefined,
): Partial<Stripe.PaymentMethod.BillingDetails> {
  const next: Partial<Stripe.PaymentMethod.BillingDetails> = { ...current };
  if (!input) return next;
  if (input.address !== undefined) next.address = toAddress(input.address);
  for (const key of ['email', 'name', 'phone', 'tax_id'] as const) {
    if (input[key] !== undefined) next[key] = input[key] ?? null;
  }
  return next;
}

function install(ctx: EmulatorContext): void {
  const methods = paymentMethodsOf(ctx.store);

  ctx.expand.reference('payment_method', 'customer', 'customer');
  // A test id such as pm_card_visa names a payment method that is made on first use.
  ctx.references.define(
    'payment_method',
    PAYMENT_METHOD_NOUN,
    (id) => methods.has(id) || (id.startsWith('pm_card_') && testCardName(id) !== null),
  );

  ctx.route<PaymentMethodCreate>({
    method: 'POST',
    path: '/v1/payment_methods',
    params: {
      type: p.string(),
      card: p.object({
        token: p.string(),
        number: p.string(),
        exp_month: p.integer({ min: 1, max: 12 }),
        exp_year: p.integer(),
        cvc: p.string(),
      }),
      billing_details: billingDetailsParam,
      metadata: p.metadata(),
      allow_redisplay: allowRedisplay,
    },
    handler: ({ params }) => {
      if (!params.type) throw parameterMissing('type');
      if (params.type !== 'card') {
        throw invalidRequest(
          `The payment method type ${params.type} is not supported by this emulator; use card.`,
          {
            param: 'type',
          },
        );
      }
      if (!params.card) throw parameterMissing('card');
      if (params.card.number !== undefined) {
        throw invalidRequest(
          'Sending credit card numbers directly to the Stripe API is generally unsafe. We suggest you use test tokens that map to the test card you are using, see https://stripe.com/docs/testing.',
          { param: 'card[number]' },
        );
      }
      const token = params.card.token;
      if (!token) throw parameterMissing('card[token]');
      const cardName = testCardName(token);
      if (!cardName) throw resourceMissing('token', token, 'card[token]');
      return createCardPaymentMethod(ctx, cardName, {
        billingDetails: billingDetails(null, params.billing_details),
        metadata: initialMetadata(params.metadata),
        ...(params.allow_redisplay && { allowRedisplay: params.allow_redisplay }),
      });
    },
  });

  ctx.route({
    method: 'GET',
    path: '/v1/payment_methods/:id',
    handler: ({ pathParams }) => resolvePaymentMethod(ctx, pathParams.id!, 'id'),
  });

  ctx.route<PaymentMethodUpdate>({
    method: 'POST',
    path: '/v1/payment_methods/:id',
    params: {
      billing_details: billingDetailsParam,
      card: p.object({ exp_month: p.integer({ min: 1, max: 12 }), exp_year: p.integer() }),
      metadata: p.metadata(),
      allow_redisplay: allowRedisplay,
    },
    handler: ({ pathParams, params }) => {
      const method = mustGet(methods, pathParams.id!, PAYMENT_METHOD_NOUN);
      const updated: Stripe.PaymentMethod = {
        ...method,
        billing_details: billingDetails(
          method.billing_details,
          params.billing_details,
        ) as Stripe.PaymentMethod.BillingDetails,
        metadata: mergeMetadata(method.metadata, params.metadata),
        ...(params.allow_redisplay && { allow_redisplay: params.allow_redisplay }),
      };
      if (params.card && method.card) updated.card = { ...method.card, ...params.card };
      const previous = previousAttributes(method, updated);
      if (onlyChanged(previous, [])) return method;
      methods.save(updated);
      ctx.events.emit('payment_method.updated', updated, { previousAttributes: previous });
      return updated;
    },
  });

  ctx.route<{ customer?: string }>({
    method: 'POST',
    path: '/v1/payment_methods/:id/attach',
    params: { customer: p.ref('customer'), customer_account: p.string() },
    handler: ({ pathParams, params }) => {
      if (!params.customer) throw parameterMissing('customer');
      return attachPaymentMethod(ctx, resolvePaymentMethod(ctx, pathParams.id!, 'id'), params.customer);
    },
  });

  ctx.route({
    method: 'POST',
    path: '/v1/payment_methods/:id/detach',
    handler: ({ pathParams }) =>
      detachPaymentMethod(ctx, mustGet(methods, pathParams.id!, PAYMENT_METHOD_NOUN)),
  });

  const listFor = (params: PaymentMethodList, customerId: string | undefined, url: string) =>
    paginate(methods.newestFirst(), params, {
      url,
      noun: PAYMENT_METHOD_NOUN,
      matches: (method) =>
        (!customerId || method.customer === customerId) &&
        (!params.type || method.type === params.type) &&
        (!params.allow_redisplay || method.allow_redisplay === params.allow_redisplay),
    });

  ctx.route<PaymentMethodList>({
    method: 'GET',
    path: '/v1/payment_methods',
    params: listFields({
      allow_redisplay: allowRedisplay,
      customer: p.string(),
      customer_account: p.string(),
      type: p.string(),
    }),
    handler: ({ params }) => {
      if (params.customer) requireCustomer(ctx.store, params.customer);
      return listFor(params, params.customer, '/v1/payment_methods');
    },
  });

  ctx.route<PaymentMethodList>({
    method: 'GET',
    path: '/v1/customers/:customer/payment_methods',
    params: customerPaymentMethodsFields,
    handler: ({ pathParams, params }) => {
      const customer = requireCustomer(ctx.store, pathParams.customer!, 'customer');
      return listFor(params, customer.id, `/v1/customers/${customer.id}/payment_methods`);
    },
  });

  ctx.route({
    method: 'GET',
    path: '/v1/customers/:customer/payment_methods/:id',
    handler: ({ pathParams }) => {
      const customer = requireCustomer(ctx.store, pathParams.customer!, 'customer');
      const method = methods.get(pathParams.id!);
      if (!method || method.customer !== customer.id)
        throw resourceMissing(PAYMENT_METHOD_NOUN, pathParams.id!, 'id');
      return method;
    },
  });
}

export const paymentMethodsModule: EmulatorModule = { name: 'payment_methods', install };
