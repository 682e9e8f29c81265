/**
 * `/v1/billing_portal/configurations`: create, retrieve, update, list. A default configuration
 * exists without being created, as one does once a Stripe account's portal settings are saved: it
 * appears the first time anything needs it (a list, a session without `configuration`).
 */
import type { EmulatorContext } from '../../core/context.js';
import { previousAttributes } from '../../core/diff.js';
import { invalidRequest } from '../../core/errors.js';
import { listFields, type PaginationParams, paginate } from '../../core/list.js';
import { type ParamFields, p } from '../../core/params.js';
import { mustGet } from '../../core/records.js';
import { requirePrice, requireProduct } from '../../resources/lookups.js';
import { portalConfigurationsOf, portalProductsOf } from '../collections.js';
import {
  type Configuration,
  type ConfigurationInput,
  changedConfiguration,
  DEFAULT_FEATURES,
  newConfiguration,
  type PortalProduct,
  type ProductInput,
  toPortalProducts,
} from './configuration-objects.js';

const NOUN = 'billing_portal.configuration';
const MAX_PRODUCTS = 10;

const prorations = ['always_invoice', 'create_prorations', 'none'];

function featureFields(creating: boolean): ParamFields {
  const enabled = p.boolean({ required: creating });
  return {
    customer_update: p.object({
      allowed_updates: p.array(p.enum(['address', 'email', 'name', 'phone', 'shipping', 'tax_id']), {
        emptyable: true,
      }),
      enabled,
    }),
    invoice_history: p.object({ enabled: p.boolean({ required: true }) }),
    payment_method_update: p.object({
      enabled: p.boolean({ required: true }),
      payment_method_configuration: p.string({ emptyable: true }),
    }),
    subscription_cancel: p.object({
      cancellation_reason: p.object({
        enabled: p.boolean({ required: true }),
        options: p.array(
          p.enum([
            'customer_service',
            'low_quality',
            'missing_features',
            'other',
            'switched_service',
            'too_complex',
            'too_expensive',
            'unused',
          ]),
          { emptyable: true, required: creating },
        ),
      }),
      enabled,
      mode: p.enum(['at_period_end', 'immediately']),
      proration_behavior: p.enum(prorations),
    }),
    subscription_pause: p.object({ enabled: p.boolean() }),
    subscription_update: p.object({
      billing_cycle_anchor: p.enum(['now', 'unchanged']),
      default_allowed_updates: p.array(p.enum(['price', 'promotion_code', 'quantity']), { emptyable: true }),
      enabled,
      products: p.array(
        p.object({
          product: p.ref('product', { required: true }),
          prices: p.array(p.ref('price'), { required: true }),
          adjustable_quantity: p.object({
            enabled: p.boolean({ required: true }),
            maximum: p.integer({ min: 1 }),
            minimum: p.integer({ min: 0 }),
          }),
        }),
        { emptyable: true },
      ),
      proration_behavior: p.enum(prorations),
      schedule_at_period_end: p.object({
        conditions: p.array(
          p.object({ type: p.enum(['decreasing_item_amount', 'shortening_interval'], { required: true }) }),
          { emptyable: true },
        ),
      }),
      trial_update_behavior: p.enum(['continue_trial', 'end_trial']),
    }),
  };
}

function configurationFields(creating: boolean): ParamFields {
  return {
    business_profile: p.object({
      headline: p.string({ emptyable: true }),
      privacy_policy_url: p.string({ emptyable: !creating }),
      terms_of_service_url: p.string({ emptyable: !creating }),
    }),
    default_return_url: p.string({ emptyable: true }),
    features: p.object(featureFields(creating), { required: creating }),
    metadata: p.metadata(),
    name: p.string({ emptyable: true }),
    ...(!creating && { active: p.boolean() }),
  };
}

export class PortalConfigurations {
  readonly configurations;
  private readonly products;

  constructor(private readonly ctx: EmulatorContext) {
    this.configurations = portalConfigurationsOf(ctx.store);
    this.products = portalProductsOf(ctx.store);
  }

  get(id: string, param = 'id'): Configuration {
    return mustGet(this.configurations, id, NOUN, param);
  }

  defaultConfiguration(): Configuration {
    const existing = this.configurations.find((c) => c.is_default);
    if (existing) return existing;
    const implicit = newConfiguration({ features: DEFAULT_FEATURES }, this.ctx.clock.now(), true);
    return this.configurations.save(implicit);
  }

  /** The products a subscription may switch between, or null when the configuration names none. */
  productsOf(configurationId: string): PortalProduct[] | null {
    return this.products.get(configurationId)?.products ?? null;
  }

  create(input: ConfigurationInput): Configuration {
    const products = this.checkedProducts(input.features?.subscription_update?.products);
    this.defaultConfiguration();
    const configuration = newConfiguration(input, this.ctx.clock.now(), false);
    this.configurations.save(configuration);
    if (products) this.products.save({ id: configuration.id, products });
    this.ctx.events.emit('billing_portal.configuration.created', configuration);
    return configuration;
  }

  update(id: string, input: ConfigurationInput): Configuration {
    const current = this.get(id);
    if (current.is_default && input.active === false) {
      throw invalidRequest('You cannot deactivate the default configuration.', { param: 'active' });
    }
    const products = this.checkedProducts(input.features?.subscription_update?.products);
    const updated = changedConfiguration(current, input, this.ctx.clock.now());
    this.configurations.save(updated);
    if (products) this.products.save({ id, products });
    else if (input.features?.subscription_update?.products === null) this.products.delete(id);
    this.ctx.events.emit('billing_portal.configuration.updated', updated, {
      previousAttributes: previousAttributes(current, updated),
    });
    return updated;
  }

  private checkedProducts(input: ProductInput[] | null | undefined): PortalProduct[] | null {
    if (!input) return null;
    const param = 'features[subscription_update][products]';
    if (input.length > MAX_PRODUCTS) {
      throw invalidRequest(`You can specify at most ${MAX_PRODUCTS} products.`, { param });
    }
    input.forEach((entry, i) => {
      const product = requireProduct(this.ctx.store, entry.product, `${param}[${i}][product]`);
      entry.prices.forEach((priceId, j) => {
        const price = requirePrice(this.ctx.store, priceId, `${param}[${i}][prices][${j}]`);
        if (price.product !== product.id || !price.recurring) {
          throw invalidRequest(
            `The price ${priceId} must be a recurring price of the product ${product.id}.`,
            { param: `${param}[${i}][prices][${j}]` },
          );
        }
      });
    });
    return toPortalProducts(input);
  }
}

const PRODUCTS_PATH = 'features.subscription_update.products';

type Expandable = { expand?: string[] };

export function installConfigurationRoutes(ctx: EmulatorContext, configurations: PortalConfigurations): void {
  /**
   * `products` is included only when asked for. The expansion needs the configuration's id, which
   * the nested hash does not carry, so the handlers fill it in and the registry only admits the path.
   */
  const shown = (configuration: Configuration, expand: string[] | undefined, prefix = '') => {
    if (!expand?.includes(prefix + PRODUCTS_PATH)) return configuration;
    const copy = structuredClone(configuration);
    copy.features.subscription_update.products = configurations.productsOf(configuration.id);
    return copy;
  };
  ctx.expand.define(NOUN, PRODUCTS_PATH, () => null);

  ctx.route<ConfigurationInput & Expandable>({
    method: 'POST',
    path: '/v1/billing_portal/configurations',
    params: configurationFields(true),
    handler: ({ params }) => shown(configurations.create(params), params.expand),
  });
  ctx.route<Expandable>({
    method: 'GET',
    path: '/v1/billing_portal/configurations/:id',
    handler: ({ pathParams, params }) => shown(configurations.get(pathParams.id!), params.expand),
  });
  ctx.route<ConfigurationInput & Expandable>({
    method: 'POST',
    path: '/v1/billing_portal/configurations/:id',
    params: configurationFields(false),
    handler: ({ pathParams, params }) => shown(configurations.update(pathParams.id!, params), params.expand),
  });
  ctx.route<PaginationParams & Expandable & { active?: boolean; is_default?: boolean }>({
    method: 'GET',
    path: '/v1/billing_portal/configurations',
    params: listFields({ active: p.boolean(), is_default: p.boolean() }),
    handler: ({ params }) => {
      configurations.defaultConfiguration();
      const page = paginate(configurations.configurations.newestFirst(), params, {
        url: '/v1/billing_portal/configurations',
        noun: NOUN,
        matches: (c) =>
          (params.active === undefined || c.active === params.active) &&
          (params.is_default === undefined || c.is_default === params.is_default),
      });
      return { ...page, data: page.data.map((c) => shown(c, params.expand, 'data.')) };
    },
  });
}
