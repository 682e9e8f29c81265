/**
 * `/v1/setup_intents`: saving a card for later. Confirming runs the card check: a declining test
 * card leaves the intent in `requires_payment_method` with `last_setup_error` and answers 402;
 * a good one succeeds and, when the intent has a customer, attaches the card to it.
 */
import type Stripe from 'stripe';
import type { EmulatorContext, EmulatorModule } from '../core/context.js';
import { cardError, invalidRequest, StripeApiError } from '../core/errors.js';
import { newClientSecret, newId } from '../core/ids.js';
import { inRange, listFields, type PaginationParams, paginate } from '../core/list.js';
import { type ParamFields, p, type RangeFilter } from '../core/params.js';
import { initialMetadata, type MetadataUpdate, mergeMetadata, mustGet } from '../core/records.js';
import { paymentMethodsOf, setupIntentsOf } from './collections.js';
import { requireCustomer } from './lookups.js';
import { attachPaymentMethod, checkCardForSetup } from './payment-methods/attachment.js';
import { resolvePaymentMethod, testCardOf } from './payment-methods/card-objects.js';

const NOUN = 'setupintent';
const CONFIRMABLE: readonly Stripe.SetupIntent.Status[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
];

interface SetupIntentInput {
  customer?: string;
  payment_method?: string;
  confirm?: boolean;
  usage?: 'on_session' | 'off_session';
  allowed_payment_method_types?: string[] | null;
  excluded_payment_method_types?: string[] | null;
  metadata?: MetadataUpdate | null;
  description?: string | null;
  automatic_payment_methods?: { enabled: boolean; allow_redirects?: 'always' | 'never' };
}

interface SetupIntentList extends PaginationParams {
  customer?: string;
  payment_method?: string;
  created?: number | RangeFilter;
}

const paymentMethodOptions = p.object({
  card: p.object({ request_three_d_secure: p.enum(['any', 'automatic', 'challenge']) }),
});

const shared: ParamFields = {
  allowed_payment_method_types: p.array(p.string(), { emptyable: true }),
  customer: p.ref('customer'),
  customer_account: p.string(),
  description: p.string({ emptyable: true }),
  excluded_payment_method_types: p.array(p.string(), { emptyable: true }),
  metadata: p.metadata(),
  payment_method: p.ref('payment_method'),
  payment_method_options: paymentMethodOptions,
};

const createFields: ParamFields = {
  ...shared,
  automatic_payment_methods: p.object({
    enabled: p.boolean({ required: true }),
    allow_redirects: p.enum(['always', 'never']),
  }),
  confirm: p.boolean(),
  return_url: p.string(),
  usage: p.enum(['on_session', 'off_session']),
  use_stripe_sdk: p.boolean(),
};

const confirmFields: ParamFields = {
  allowed_payment_method_types: p.array(p.string()),
  payment_method: p.ref('payment_method'),
  payment_method_options: paymentMethodOptions,
  return_url: p.string(),
  use_stripe_sdk: p.boolean(),
};

function install(ctx: EmulatorContext): void {
  const intents = setupIntentsOf(ctx.store);

  ctx.expand.reference('setup_intent', 'customer', 'customer');
  ctx.expand.reference('setup_intent', 'payment_method', 'payment_method');

  /** The payment method named by `payment_method` (test ids such as `pm_card_visa` included). */
  const paymentMethodIdFor = (params: Pick<SetupIntentInput, 'payment_method'>) =>
    params.payment_method ? resolvePaymentMethod(ctx, params.payment_method).id : null;

  const typesOf = (allowed: string[] | null | undefined) => (allowed?.length ? allowed : ['card']);

  const confirm = (
    intent: Stripe.SetupIntent,
    given: Pick<SetupIntentInput, 'payment_method'> = {},
  ): Stripe.SetupIntent => {
    if (!CONFIRMABLE.includes(intent.status)) {
      throw invalidRequest(
        `You cannot confirm this SetupIntent because it has a status of ${intent.status}. ` +
          'Only a SetupIntent with one of the following statuses may be confirmed: requires_confirmation, requires_action, requires_payment_method.',
        {
          code: 'setup_intent_unexpected_state',
        },
      );
    }
    const paymentMethodId = paymentMethodIdFor(given) ?? (intent.payment_method as string | null);
    if (!paymentMethodId) {
      throw invalidRequest(
        "You cannot confirm this SetupIntent because it's missing a payment method. Update the SetupIntent with a payment method and then confirm it again.",
        { code: 'setup_intent_unexpected_state' },
      );
    }
    try {
      checkCardForSetup(ctx, paymentMethodId);
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      const failed: Stripe.SetupIntent = {
        ...intent,
        status: 'requires_payment_method',
        payment_method: null,
        next_action: null,
        last_setup_error: {
          ...error.body,
          payment_method: paymentMethodsOf(ctx.store).get(paymentMethodId),
        } as Stripe.SetupIntent.LastSetupError,
      };
      intents.save(failed);
      ctx.events.emit('setup_intent.setup_failed', failed);
      throw cardError(String(error.body.code), error.body.message, {
        ...(error.body.decline_code && { declineCode: error.body.decline_code }),
        extras: { setup_intent: failed },
      });
    }
    if (testCardOf(ctx, paymentMethodId).authenticatesOnSetup) {
      // The customer must complete 3D Secure in the browser; nothing is attached until they do.
      const pending: Stripe.SetupIntent = {
        ...intent,
        status: 'requires_action',
        payment_method: paymentMethodId,
        last_setup_error: null,
        next_action: { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect' } },
      };
      intents.save(pending);
      ctx.events.emit('setup_intent.requires_action', pending);
      return pending;
    }
    if (typeof intent.customer === 'string') {
      attachPaymentMethod(ctx, paymentMethodsOf(ctx.store).get(paymentMethodId)!, intent.customer);
    }
    const succeeded: Stripe.SetupIntent = {
      ...intent,
      status: 'succeeded',
      payment_method: paymentMethodId,
      last_setup_error: null,
      next_action: null,
    };
    intents.save(succeeded);
    ctx.events.emit('setup_intent.succeeded', succeeded);
    return succeeded;
  };

  ctx.route<SetupIntentInput>({
    method: 'POST',
    path: '/v1/setup_intents',
    params: createFields,
    handler: ({ params }) => {
      if (params.customer) requireCustomer(ctx.store, params.customer);
      const id = newId('seti');
      const paymentMethod = paymentMethodIdFor(params);
      const intent: Stripe.SetupIntent = {
        id,
        object: 'setup_intent',
        allowed_payment_method_types: (params.allowed_payment_method_types ??
          null) as Stripe.SetupIntent['allowed_payment_method_types'],
        application: null,
        automatic_payment_methods: params.automatic_payment_methods
          ? {
              allow_redirects: params.automatic_payment_methods.allow_redirects ?? 'always',
              enabled: params.automatic_payment_methods.enabled,
            }
          : null,
        cancellation_reason: null,
        client_secret: newClientSecret(id),
        created: ctx.clock.nowForCustomer(params.customer),
        customer: params.customer ?? null,
        description: params.description ?? null,
        excluded_payment_method_types: (params.excluded_payment_method_types ??
          null) as Stripe.SetupIntent['excluded_payment_method_types'],
        flow_directions: null,
        last_setup_error: null,
        latest_attempt: null,
        livemode: false,
        mandate: null,
        metadata: initialMetadata(params.metadata),
        next_action: null,
        on_behalf_of: null,
        payment_method: paymentMethod,
        payment_method_configuration_details: null,
        payment_method_options: {
          card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' },
        },
        payment_method_types: typesOf(params.allowed_payment_method_types),
        single_use_mandate: null,
        status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
        usage: params.usage ?? 'off_session',
      };
      intents.save(intent);
      ctx.events.emit('setup_intent.created', intent);
      return params.confirm ? confirm(intent) : intent;
    },
  });

  ctx.route({
    method: 'GET',
    path: '/v1/setup_intents/:id',
    params: { client_secret: p.string() },
    handler: ({ pathParams }) => mustGet(intents, pathParams.id!, NOUN),
  });

  ctx.route<SetupIntentInput>({
    method: 'POST',
    path: '/v1/setup_intents/:id',
    params: shared,
    handler: ({ pathParams, params }) => {
      const intent = mustGet(intents, pathParams.id!, NOUN);
      if (intent.status === 'succeeded' || intent.status === 'canceled') {
        throw invalidRequest(
          `You cannot update this SetupIntent because it has a status of ${intent.status}.`,
          {
            code: 'setup_intent_unexpected_state',
          },
        );
      }
      if (params.customer) requireCustomer(ctx.store, params.customer);
      const paymentMethod = paymentMethodIdFor(params);
      const allowed = params.allowed_payment_method_types;
      const updated: Stripe.SetupIntent = {
        ...intent,
        ...(params.customer && { customer: params.customer }),
        ...(params.description !== undefined && { description: params.description }),
        ...(allowed !== undefined && {
          allowed_payment_method_types: allowed as Stripe.SetupIntent['allowed_payment_method_types'],
          payment_method_types: typesOf(allowed),
        }),
        ...(paymentMethod && { payment_method: paymentMethod, status: 'requires_confirmation' as const }),
        metadata: mergeMetadata(intent.metadata, params.metadata),
      };
      return intents.save(updated);
    },
  });

  ctx.route<SetupIntentInput>({
    method: 'POST',
    path: '/v1/setup_intents/:id/confirm',
    params: confirmFields,
    handler: ({ pathParams, params }) => confirm(mustGet(intents, pathParams.id!, NOUN), params),
  });

  ctx.route<{ cancellation_reason?: Stripe.SetupIntent.CancellationReason }>({
    method: 'POST',
    path: '/v1/setup_intents/:id/cancel',
    params: { cancellation_reason: p.enum(['abandoned', 'duplicate', 'requested_by_customer']) },
    handler: ({ pathParams, params }) => {
      const intent = mustGet(intents, pathParams.id!, NOUN);
      if (intent.status === 'succeeded' || intent.status === 'canceled') {
        throw invalidRequest(
          `You cannot cancel this SetupIntent because it has a status of ${intent.status}.`,
          {
            code: 'setup_intent_unexpected_state',
          },
        );
      }
      const canceled: Stripe.SetupIntent = {
        ...intent,
        status: 'canceled',
        cancellation_reason: params.cancellation_reason ?? null,
      };
      intents.save(canceled);
      ctx.events.emit('setup_intent.canceled', canceled);
      return canceled;
    },
  });

  ctx.route<SetupIntentList>({
    method: 'GET',
    path: '/v1/setup_intents',
    params: listFields({
      customer: p.string(),
      payment_method: p.string(),
      created: p.range(),
      attach_to_self: p.boolean(),
      customer_account: p.string(),
    }),
    handler: ({ params }) =>
      paginate(intents.newestFirst(), params, {
        url: '/v1/setup_intents',
        noun: NOUN,
        matches: (intent) =>
          (!params.customer || intent.customer === params.customer) &&
          (!params.payment_method || intent.payment_method === params.payment_method) &&
          inRange(intent.created, params.created),
      }),
  });
}

export const setupIntentsModule: EmulatorModule = { name: 'setup_intents', install };
