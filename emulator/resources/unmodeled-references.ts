/**
 * The expandable fields (per the pinned SDK) that name objects the emulator does not model: Connect
 * accounts and applications, transfers, reviews, legacy sources, mandates, setup attempts, shipping
 * rates, payment links and records, invoice revisions, files. They are always null here, and expanding
 * them answers null (https://docs.stripe.com/expand), rather than refusing the request.
 */
import type { EmulatorContext, EmulatorModule } from '../core/context.js';

const SEPA_FROM = ['bancontact', 'ideal', 'sofort'].flatMap((method) => [
  `payment_method_details.${method}.generated_sepa_debit`,
  `payment_method_details.${method}.generated_sepa_debit_mandate`,
]);

const UNMODELED: Record<string, readonly string[]> = {
  'billing_portal.configuration': ['application'],
  charge: [
    'application',
    'application_fee',
    'failure_balance_transaction',
    'on_behalf_of',
    'payment_method_details.card.mandate',
    'payment_method_details.us_bank_account.mandate',
    'review',
    'source_transfer',
    'transfer',
    'transfer_data.destination',
    ...SEPA_FROM,
  ],
  'checkout.session': ['automatic_tax.liability.account', 'payment_link', 'shipping_cost.shipping_rate'],
  customer: ['default_source'],
  // Evidence files are uploaded through Stripe's Files API, which the emulator does not model.
  dispute: [
    'evidence.cancellation_policy',
    'evidence.customer_communication',
    'evidence.customer_signature',
    'evidence.duplicate_charge_documentation',
    'evidence.receipt',
    'evidence.refund_policy',
    'evidence.service_documentation',
    'evidence.shipping_documentation',
    'evidence.uncategorized_file',
  ],
  invoice: [
    'application',
    'automatic_tax.liability.account',
    'default_source',
    'from_invoice.invoice',
    'issuer.account',
    'latest_revision',
    'on_behalf_of',
    'shipping_cost.shipping_rate',
  ],
  invoice_payment: ['payment.payment_record'],
  payment_intent: [
    'application',
    'on_behalf_of',
    'payment_record',
    'review',
    'source',
    'transfer_data.destination',
  ],
  payment_method: [
    'card.generated_from.setup_attempt',
    'sepa_debit.generated_from.charge',
    'sepa_debit.generated_from.setup_attempt',
  ],
  product: ['tax_code'],
  refund: ['failure_balance_transaction', 'source_transfer_reversal', 'transfer_reversal'],
  setup_intent: ['application', 'latest_attempt', 'mandate', 'on_behalf_of', 'single_use_mandate'],
  subscription: [
    'application',
    'automatic_tax.liability.account',
    'cancellation_details.feedback_option',
    'default_source',
    'invoice_settings.issuer.account',
    'on_behalf_of',
    'transfer_data.destination',
  ],
  subscription_schedule: [
    'application',
    'default_settings.on_behalf_of',
    'default_settings.transfer_data.destination',
  ],
};

function install(ctx: EmulatorContext): void {
  for (const [objectType, paths] of Object.entries(UNMODELED)) ctx.expand.alwaysNull(objectType, paths);
}

export const unmodeledReferencesModule: EmulatorModule = { name: 'unmodeled_references', install };
