/** Building and changing customer objects from validated parameters. */
import type Stripe from 'stripe';
import { invalidRequest } from '../../core/errors.js';
import { newId, randomToken } from '../../core/ids.js';
import { initialMetadata, type MetadataUpdate, mergeMetadata } from '../../core/records.js';
import type { Wire } from '../../core/wire.js';
import { type AddressInput, toAddress } from '../shared-params.js';

type InvoiceSettingsInput = Wire<Stripe.CustomerCreateParams.InvoiceSettings>;
type ShippingInput = { address: AddressInput; name: string; phone?: string } | null;

export interface CustomerInput {
  address?: AddressInput | null;
  balance?: number;
  business_name?: string | null;
  description?: string | null;
  email?: string | null;
  individual_name?: string | null;
  invoice_prefix?: string;
  invoice_settings?: InvoiceSettingsInput;
  metadata?: MetadataUpdate | null;
  name?: string | null;
  next_invoice_sequence?: number;
  phone?: string | null;
  preferred_locales?: string[] | null;
  shipping?: ShippingInput;
  tax_exempt?: Stripe.Customer.TaxExempt | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INVOICE_PREFIX = /^[A-Z0-9]{3,12}$/;

function checked(input: CustomerInput): CustomerInput {
  if (input.email && !EMAIL.test(input.email)) {
    throw invalidRequest(`Invalid email address: ${input.email}`, { param: 'email', code: 'email_invalid' });
  }
  if (input.invoice_prefix !== undefined && !INVOICE_PREFIX.test(input.invoice_prefix)) {
    throw invalidRequest('Invoice prefixes must be 3–12 uppercase letters or digits.', {
      param: 'invoice_prefix',
    });
  }
  return input;
}

function shippingOf(input: ShippingInput | undefined): Stripe.Customer.Shipping | null {
  if (!input) return null;
  return { address: toAddress(input.address)!, name: input.name, phone: input.phone ?? null };
}

function invoiceSettingsOf(
  current: Stripe.Customer.InvoiceSettings,
  input: InvoiceSettingsInput | undefined,
): Stripe.Customer.InvoiceSettings {
  if (!input) return current;
  const next = { ...current };
  if (input.custom_fields !== undefined) next.custom_fields = input.custom_fields;
  if (input.default_payment_method !== undefined) next.default_payment_method = input.default_payment_method;
  if (input.footer !== undefined) next.footer = input.footer;
  if (input.rendering_options !== undefined) {
    next.rendering_options = input.rendering_options && {
      amount_tax_display: input.rendering_options.amount_tax_display ?? null,
      template: input.rendering_options.template ?? null,
    };
  }
  return next;
}

export function newCustomer(
  input: CustomerInput,
  created: number,
  testClock: string | null,
): Stripe.Customer {
  checked(input);
  const customer: Stripe.Customer = {
    id: newId('cus'),
    object: 'customer',
    address: toAddress(input.address),
    balance: input.balance ?? 0,
    created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: input.description ?? null,
    discount: null,
    email: input.email ?? null,
    invoice_prefix: input.invoice_prefix ?? randomToken(8, '0123456789ABCDEF'),
    invoice_settings: invoiceSettingsOf(
      { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      input.invoice_settings,
    ),
    livemode: false,
    metadata: initialMetadata(input.metadata),
    name: input.name ?? null,
    next_invoice_sequence: input.next_invoice_sequence ?? 1,
    phone: input.phone ?? null,
    preferred_locales: input.preferred_locales ?? [],
    shipping: shippingOf(input.shipping),
    tax_exempt: input.tax_exempt ?? 'none',
    test_clock: testClock,
  };
  // Shown only once set, as Stripe does.
  if (input.business_name) customer.business_name = input.business_name;
  if (input.individual_name) customer.individual_name = input.individual_name;
  return customer;
}

export function changedCustomer(customer: Stripe.Customer, input: CustomerInput): Stripe.Customer {
  checked(input);
  const next: Stripe.Customer = { ...customer };
  const simple = [
    'balance',
    'description',
    'email',
    'invoice_prefix',
    'name',
    'next_invoice_sequence',
    'phone',
  ] as const;
  for (const key of simple) {
    if (input[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = input[key];
  }
  if (input.address !== undefined) next.address = toAddress(input.address);
  if (input.shipping !== undefined) next.shipping = shippingOf(input.shipping);
  if (input.preferred_locales !== undefined) next.preferred_locales = input.preferred_locales ?? [];
  if (input.tax_exempt !== undefined) next.tax_exempt = input.tax_exempt ?? 'none';
  if (input.business_name !== undefined) {
    if (input.business_name) next.business_name = input.business_name;
    else delete next.business_name;
  }
  if (input.individual_name !== undefined) {
    if (input.individual_name) next.individual_name = input.individual_name;
    else delete next.individual_name;
  }
  next.invoice_settings = invoiceSettingsOf(customer.invoice_settings, input.invoice_settings);
  next.metadata = mergeMetadata(customer.metadata, input.metadata);
  return next;
}
