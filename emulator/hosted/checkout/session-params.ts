/** The parameters `/v1/checkout/sessions` accepts, declared for the request pipeline. */
import { listFields } from '../../core/list.js';
import { type ParamFields, p } from '../../core/params.js';
import { brandingSettingsField } from './session-branding.js';

const discount = p.object({ coupon: p.ref('coupon'), promotion_code: p.ref('promotion_code') });

export const createSessionFields: ParamFields = {
  mode: p.enum(['payment', 'subscription'], { required: true }),
  line_items: p.array(
    p.object({
      price: p.ref('price', { required: true }),
      quantity: p.integer({ min: 1 }),
    }),
  ),
  customer: p.ref('customer'),
  customer_email: p.string(),
  customer_creation: p.enum(['always', 'if_required']),
  client_reference_id: p.string({ maxLength: 200 }),
  success_url: p.string({ maxLength: 5000 }),
  cancel_url: p.string({ maxLength: 5000 }),
  subscription_data: p.object({
    trial_period_days: p.integer({ min: 1, max: 730 }),
    metadata: p.metadata(),
    description: p.string(),
  }),
  discounts: p.array(discount),
  allow_promotion_codes: p.boolean(),
  metadata: p.metadata(),
  expires_at: p.timestamp(),
  ui_mode: p.enum(['hosted_page']),
  // Stripe Tax (session-tax.ts); `automatic_tax[liability]` is for Connect, not modelled.
  automatic_tax: p.object({ enabled: p.boolean({ required: true }) }),
  billing_address_collection: p.enum(['auto', 'required']),
  tax_id_collection: p.object({
    enabled: p.boolean({ required: true }),
    required: p.enum(['if_supported', 'never']),
  }),
  customer_update: p.object({
    address: p.enum(['auto', 'never']),
    name: p.enum(['auto', 'never']),
    shipping: p.enum(['auto', 'never']),
  }),
  branding_settings: brandingSettingsField,
};

export const updateSessionFields: ParamFields = { metadata: p.metadata() };

export const listSessionFields: ParamFields = listFields({
  created: p.range(),
  customer: p.string(),
  customer_details: p.object({ email: p.string({ required: true }) }),
  payment_intent: p.string(),
  status: p.enum(['complete', 'expired', 'open']),
  subscription: p.string(),
});

export const listLineItemsFields: ParamFields = listFields();
