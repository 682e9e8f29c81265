// Declared parameters of the invoice and invoice item endpoints.

import { listFields } from '../../core/list.js';
import { type ParamFields, p } from '../../core/params.js';

export const createInvoiceFields: ParamFields = {
  customer: p.ref('customer', { required: true }),
  subscription: p.ref('subscription'),
  auto_advance: p.boolean(),
  collection_method: p.enum(['charge_automatically', 'send_invoice']),
  days_until_due: p.integer({ min: 0 }),
  due_date: p.timestamp(),
  currency: p.string(),
  description: p.string(),
  metadata: p.metadata(),
  default_payment_method: p.ref('payment_method'),
  pending_invoice_items_behavior: p.enum(['exclude', 'include']),
};

export const updateInvoiceFields: ParamFields = {
  auto_advance: p.boolean(),
  collection_method: p.enum(['charge_automatically', 'send_invoice']),
  days_until_due: p.integer({ min: 0 }),
  due_date: p.timestamp(),
  description: p.string({ emptyable: true }),
  metadata: p.metadata(),
  default_payment_method: p.ref('payment_method', { emptyable: true }),
};

export const listInvoiceFields: ParamFields = listFields({
  customer: p.string(),
  subscription: p.string(),
  status: p.enum(['draft', 'open', 'paid', 'uncollectible', 'void']),
  collection_method: p.enum(['charge_automatically', 'send_invoice']),
  created: p.range(),
  due_date: p.range(),
});

export const payInvoiceFields: ParamFields = {
  paid_out_of_band: p.boolean(),
  payment_method: p.ref('payment_method'),
  off_session: p.boolean(),
  forgive: p.boolean(),
};

export const previewFields: ParamFields = {
  customer: p.ref('customer'),
  subscription: p.ref('subscription'),
  currency: p.string(),
  // Stripe Tax, as the subscription would have it (engine/taxes.ts); `liability` is not modelled.
  automatic_tax: p.object({ enabled: p.boolean({ required: true }) }),
  subscription_details: p.object({
    items: p.array(
      p.object({
        id: p.string(),
        price: p.ref('price'),
        quantity: p.integer({ min: 0 }),
        deleted: p.boolean(),
        clear_usage: p.boolean(),
        metadata: p.metadata(),
      }),
    ),
    proration_date: p.timestamp(),
    proration_behavior: p.enum(['create_prorations', 'always_invoice', 'none']),
  }),
};

export const createInvoiceItemFields: ParamFields = {
  customer: p.ref('customer', { required: true }),
  amount: p.integer(),
  currency: p.string(),
  pricing: p.object({ price: p.ref('price') }),
  quantity: p.integer({ min: 0 }),
  description: p.string(),
  invoice: p.ref('invoice'),
  subscription: p.ref('subscription'),
  discountable: p.boolean(),
  period: p.object({ start: p.timestamp({ required: true }), end: p.timestamp({ required: true }) }),
  metadata: p.metadata(),
};

export const updateInvoiceItemFields: ParamFields = {
  description: p.string(),
  metadata: p.metadata(),
  discountable: p.boolean(),
};

export const listInvoiceItemFields: ParamFields = listFields({
  customer: p.string(),
  invoice: p.string(),
  pending: p.boolean(),
  created: p.range(),
});
