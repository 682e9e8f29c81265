/**
 * `/v1/tax/settings`: the account's Stripe Tax settings, and the rules every automatic-tax
 * request is held to. A new account starts `pending` with no head office, so automatic tax is
 * refused (`stripe_tax_inactive`) until a head office address is set
 * (https://docs.stripe.com/tax/settings-api: "An account is ready to use Stripe Tax if ... status
 * `active`"; `missing_fields` lists `head_office` while it is `pending`).
 */
import type Stripe from 'stripe';
import type { EmulatorContext, EmulatorModule } from '../../core/context.js';
import { previousAttributes } from '../../core/diff.js';
import { invalidRequest } from '../../core/errors.js';
import { p } from '../../core/params.js';
import type { Store } from '../../core/store.js';
import { type AddressInput, addressParam, toAddress } from '../shared-params.js';

interface StoredTaxSettings extends Stripe.Tax.Settings {
  id: 'account';
}

const settingsOf = (store: Store) => store.collection<StoredTaxSettings>('tax.settings');

const PENDING: Stripe.Tax.Settings = {
  object: 'tax.settings',
  defaults: { provider: 'stripe', tax_behavior: null, tax_code: 'txcd_10000000' },
  head_office: null,
  livemode: false,
  status: 'pending',
  status_details: { pending: { missing_fields: ['head_office'] } },
};

export function taxSettings(store: Store): Stripe.Tax.Settings {
  const { id: _id, ...stored } = settingsOf(store).get('account') ?? { id: 'account', ...PENDING };
  return stored;
}

/**
 * Refuses `automatic_tax[enabled]=true` while Stripe Tax is not active, with the error Stripe
 * answers then (code `stripe_tax_inactive`, https://docs.stripe.com/tax/set-up).
 */
export function assertTaxActive(store: Store, param: string): void {
  if (taxSettings(store).status === 'active') return;
  throw invalidRequest(
    'Stripe Tax has not been activated on your account. Please visit https://stripe.com/docs/tax/set-up to get started.',
    { param, code: 'stripe_tax_inactive' },
  );
}

/**
 * The tax behaviour a price is taxed with: its own, else the account's default; `inferred_by_currency`
 * makes USD and CAD exclusive and every other currency inclusive
 * (https://docs.stripe.com/tax/products-prices-tax-codes-tax-behavior). Null: neither says, and
 * Stripe refuses to calculate tax for the price.
 */
/** The fields of a price that decide its tax behaviour. */
export type TaxedPrice = Pick<Stripe.Price, 'id' | 'currency' | 'tax_behavior'>;

export function taxBehaviorOf(store: Store, price: TaxedPrice): 'exclusive' | 'inclusive' | null {
  const own = price.tax_behavior;
  if (own === 'exclusive') return 'exclusive';
  if (own === 'inclusive') return 'inclusive';
  const fallback = taxSettings(store).defaults.tax_behavior;
  if (fallback === 'exclusive') return 'exclusive';
  if (fallback === 'inclusive') return 'inclusive';
  if (fallback === 'inferred_by_currency')
    return ['usd', 'cad'].includes(price.currency) ? 'exclusive' : 'inclusive';
  return null;
}

/** Refuses a price whose tax behaviour neither it nor the account's defaults give. */
export function assertTaxBehavior(store: Store, price: TaxedPrice, param: string): void {
  if (taxBehaviorOf(store, price) !== null) return;
  throw invalidRequest(
    `The price \`${price.id}\` has \`tax_behavior\` set to \`unspecified\` and your account has no default tax behavior. Set \`tax_behavior\` on the price or a default in your tax settings to use automatic tax.`,
    { param },
  );
}

/** The country tax is worked out for: the shipping address's, else the billing address's. */
export function taxCountry(customer: Stripe.Customer): string | null {
  return customer.shipping?.address?.country || customer.address?.country || null;
}

interface SettingsUpdate {
  defaults?: { tax_behavior?: Stripe.Tax.SettingsUpdateParams.Defaults.TaxBehavior; tax_code?: string };
  head_office?: { address: AddressInput };
}

function install(ctx: EmulatorContext): void {
  const settings = settingsOf(ctx.store);

  ctx.route({
    method: 'GET',
    path: '/v1/tax/settings',
    handler: () => taxSettings(ctx.store),
  });

  ctx.route<SettingsUpdate>({
    method: 'POST',
    path: '/v1/tax/settings',
    params: {
      defaults: p.object({
        tax_behavior: p.enum(['exclusive', 'inclusive', 'inferred_by_currency']),
        tax_code: p.string(),
      }),
      head_office: p.object({ address: { ...addressParam, required: true, emptyable: false } }),
    },
    handler: ({ params }) => {
      const before = taxSettings(ctx.store);
      const address = params.head_office ? toAddress(params.head_office.address) : null;
      if (params.head_office && !address?.country) {
        throw invalidRequest('A head office address needs a country.', {
          param: 'head_office[address][country]',
        });
      }
      const headOffice = address ? { address } : before.head_office;
      const after: Stripe.Tax.Settings = {
        ...before,
        defaults: {
          ...before.defaults,
          ...(params.defaults?.tax_behavior !== undefined && { tax_behavior: params.defaults.tax_behavior }),
          ...(params.defaults?.tax_code !== undefined && { tax_code: params.defaults.tax_code }),
        },
        head_office: headOffice,
        status: headOffice ? 'active' : 'pending',
        status_details: headOffice ? { active: {} } : { pending: { missing_fields: ['head_office'] } },
      };
      settings.save({ id: 'account', ...after });
      ctx.events.emit('tax.settings.updated', after, {
        previousAttributes: previousAttributes(before, after),
      });
      return after;
    },
  });
}

export const taxSettingsModule: EmulatorModule = { name: 'tax-settings', install };
