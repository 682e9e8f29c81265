/**
 * `/v1/billing_portal/sessions`: a short-lived link to the portal page for one customer, with the
 * configuration that decides what the page offers, and optionally a flow (`flow_data`) that opens
 * straight on cancelling or changing one subscription, or on updating the card.
 */
import type Stripe from 'stripe';
import type { EmulatorContext } from '../../core/context.js';
import { invalidRequest, parameterMissing } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { p } from '../../core/params.js';
import { mustGet } from '../../core/records.js';
import { requireCustomer } from '../../resources/lookups.js';
import { portalFlowStatesOf, portalSessionsOf } from '../collections.js';
import type { PortalConfigurations } from './configurations.js';

export const PORTAL_PREFIX = '/p/session/';

type FlowType = 'payment_method_update' | 'subscription_cancel' | 'subscription_update';

export interface PortalSessionCreate {
  customer: string;
  configuration?: string;
  return_url?: string;
  locale?: Stripe.BillingPortal.Session.Locale;
  flow_data?: {
    type: FlowType;
    after_completion?: {
      type: 'hosted_confirmation' | 'portal_homepage' | 'redirect';
      hosted_confirmation?: { custom_message?: string };
      redirect?: { return_url: string };
    };
    subscription_cancel?: { subscription: string };
    subscription_update?: { subscription: string };
  };
}

const createFields = {
  customer: p.ref('customer', { required: true }),
  configuration: p.ref('billing_portal.configuration'),
  return_url: p.string({ maxLength: 5000 }),
  locale: p.string(),
  flow_data: p.object({
    type: p.enum(['payment_method_update', 'subscription_cancel', 'subscription_update'], { required: true }),
    after_completion: p.object({
      type: p.enum(['hosted_confirmation', 'portal_homepage', 'redirect'], { required: true }),
      hosted_confirmation: p.object({ custom_message: p.string({ maxLength: 500 }) }),
      redirect: p.object({ return_url: p.string({ required: true }) }),
    }),
    subscription_cancel: p.object({ subscription: p.ref('subscription', { required: true }) }),
    subscription_update: p.object({ subscription: p.ref('subscription', { required: true }) }),
  }),
};

export class PortalSessions {
  readonly sessions;
  private readonly flows;

  constructor(
    private readonly ctx: EmulatorContext,
    readonly configurations: PortalConfigurations,
  ) {
    this.sessions = portalSessionsOf(ctx.store);
    this.flows = portalFlowStatesOf(ctx.store);
  }

  get(id: string): Stripe.BillingPortal.Session | undefined {
    return this.sessions.get(id);
  }

  configurationOf(session: Stripe.BillingPortal.Session): Stripe.BillingPortal.Configuration {
    return this.configurations.get(String(session.configuration));
  }

  /** The flow the page still has to walk through, or null once it is done (or there was none). */
  pendingFlow(session: Stripe.BillingPortal.Session): Stripe.BillingPortal.Session.Flow | null {
    return session.flow && !this.flows.get(session.id)?.completed ? session.flow : null;
  }

  completeFlow(session: Stripe.BillingPortal.Session): void {
    this.flows.save({ id: session.id, completed: true });
  }

  create(params: PortalSessionCreate): Stripe.BillingPortal.Session {
    const customer = requireCustomer(this.ctx.store, params.customer);
    const configuration = params.configuration
      ? this.configurations.get(params.configuration, 'configuration')
      : this.configurations.defaultConfiguration();
    if (!configuration.active) {
      throw invalidRequest('The configuration you provided is not active.', { param: 'configuration' });
    }
    const flow = params.flow_data ? this.flow(params.flow_data, customer.id, configuration) : null;
    const session: Stripe.BillingPortal.Session = {
      id: newId('bps'),
      object: 'billing_portal.session',
      configuration: configuration.id,
      created: this.ctx.clock.nowForCustomer(customer.id),
      customer: customer.id,
      customer_account: null,
      flow,
      livemode: false,
      locale: params.locale ?? null,
      on_behalf_of: null,
      return_url: params.return_url ?? configuration.default_return_url,
      url: '',
    };
    session.url = `${this.ctx.baseUrl()}${PORTAL_PREFIX}${session.id}`;
    this.sessions.save(session);
    this.ctx.events.emit('billing_portal.session.created', session);
    return session;
  }

  private flow(
    data: NonNullable<PortalSessionCreate['flow_data']>,
    customer: string,
    configuration: Stripe.BillingPortal.Configuration,
  ): Stripe.BillingPortal.Session.Flow {
    const { features } = configuration;
    const enabled =
      data.type === 'subscription_cancel'
        ? features.subscription_cancel.enabled
        : data.type === 'subscription_update'
          ? features.subscription_update.enabled
          : features.payment_method_update.enabled;
    if (!enabled) {
      throw invalidRequest(
        `The \`${data.type}\` feature must be enabled in the configuration to use this flow.`,
        {
          param: 'flow_data[type]',
        },
      );
    }
    const subscriptionOf = (given: { subscription: string } | undefined, key: FlowType) => {
      if (!given) throw parameterMissing(`flow_data[${key}]`);
      const param = `flow_data[${key}][subscription]`;
      const subscription = mustGet(
        this.ctx.store.collection<Stripe.Subscription>('subscription'),
        given.subscription,
        'subscription',
        param,
      );
      if (
        subscription.customer !== customer ||
        ['canceled', 'incomplete_expired'].includes(subscription.status)
      ) {
        throw invalidRequest(
          `The subscription ${subscription.id} is not an active subscription of ${customer}.`,
          {
            param,
          },
        );
      }
      return subscription.id;
    };
    const after = data.after_completion ?? { type: 'portal_homepage' };
    if (after.type === 'redirect' && !after.redirect)
      throw parameterMissing('flow_data[after_completion][redirect]');
    return {
      after_completion: {
        hosted_confirmation:
          after.type === 'hosted_confirmation'
            ? { custom_message: after.hosted_confirmation?.custom_message ?? null }
            : null,
        redirect: after.type === 'redirect' ? { return_url: after.redirect!.return_url } : null,
        type: after.type,
      },
      customer_update: null,
      subscription_cancel:
        data.type === 'subscription_cancel'
          ? { retention: null, subscription: subscriptionOf(data.subscription_cancel, data.type) }
          : null,
      subscription_pause: null,
      subscription_update:
        data.type === 'subscription_update'
          ? { subscription: subscriptionOf(data.subscription_update, data.type) }
          : null,
      subscription_update_confirm: null,
      type: data.type,
    };
  }
}

export function installPortalSessionRoutes(ctx: EmulatorContext, portal: PortalSessions): void {
  ctx.route<PortalSessionCreate>({
    method: 'POST',
    path: '/v1/billing_portal/sessions',
    params: createFields,
    handler: ({ params }) => portal.create(params),
  });
  ctx.expand.reference('billing_portal.session', 'configuration', 'billing_portal.configuration');
}
