/** Declared parameters of `/v1/customers`. */
import { listFields } from '../../core/list.js';
import { type ParamFields, p } from '../../core/params.js';
import { addressParam } from '../shared-params.js';

const shipping = p.object(
  {
    address: { ...addressParam, required: true, emptyable: false },
    name: p.string({ required: true }),
    phone: p.string(),
  },
  { emptyable: true },
);

const invoiceSettings = p.object({
  custom_fields: p.array(
    p.object({
      name: p.string({ required: true, maxLength: 40 }),
      value: p.string({ required: true, maxLength: 140 }),
    }),
    { maxItems: 4, emptyable: true },
  ),
  default_payment_method: p.ref('payment_method'),
  footer: p.string({ emptyable: true }),
  rendering_options: p.object(
    {
      amount_tax_display: p.enum(['exclude_tax', 'include_inclusive_tax'], { emptyable: true }),
      template: p.string(),
    },
    { emptyable: true },
  ),
});

/** `auto` exists on update only (the SDK's `CustomerUpdateParams.Tax.ValidateLocation`). */
const tax = (validateLocation: readonly string[]) =>
  p.object({ ip_address: p.string({ emptyable: true }), validate_location: p.enum(validateLocation) });

const common: ParamFields = {
  address: addressParam,
  balance: p.integer(),
  business_name: p.string({ emptyable: true, maxLength: 150 }),
  individual_name: p.string({ emptyable: true, maxLength: 150 }),
  invoice_prefix: p.string(),
  invoice_settings: invoiceSettings,
  metadata: p.metadata(),
  next_invoice_sequence: p.integer({ min: 1 }),
  preferred_locales: p.array(p.string(), { emptyable: true }),
  shipping,
  tax_exempt: p.enum(['exempt', 'none', 'reverse'], { emptyable: true }),
  validate: p.boolean(),
};

export const createCustomerFields: ParamFields = {
  ...common,
  description: p.string(),
  email: p.string({ maxLength: 512 }),
  name: p.string({ maxLength: 256 }),
  payment_method: p.ref('payment_method'),
  phone: p.string({ maxLength: 20 }),
  tax: tax(['deferred', 'immediately']),
  test_clock: p.ref('test_helpers.test_clock'),
};

export const updateCustomerFields: ParamFields = {
  ...common,
  description: p.string({ emptyable: true }),
  email: p.string({ emptyable: true, maxLength: 512 }),
  name: p.string({ emptyable: true, maxLength: 256 }),
  phone: p.string({ emptyable: true, maxLength: 20 }),
  tax: tax(['auto', 'deferred', 'immediately']),
};

export const listCustomerFields: ParamFields = listFields({
  created: p.range(),
  email: p.string({ maxLength: 512 }),
  test_clock: p.string(),
});

export const customerPaymentMethodsFields: ParamFields = listFields({
  allow_redisplay: p.enum(['always', 'limited', 'unspecified']),
  type: p.string(),
});
