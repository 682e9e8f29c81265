// The billing engine as an emulator module: subscriptions, schedules, invoices, payments,
// refunds and test clocks. See README.md in this folder for the behaviours it chooses.

import type { EmulatorContext, EmulatorModule } from '../core/context.js';
import { type Billing, createBilling } from './engine/context.js';
import { view } from './engine/invoicing.js';
import { chargeView } from './engine/refunds.js';
import { TestClocks } from './engine/test-clocks.js';
import { balanceTransactionFor } from './objects/balance-transactions.js';
import { installScheduleRoutes, installTestClockRoutes } from './routes/clocks-and-schedules.js';
import { installDisputeRoutes } from './routes/disputes.js';
import { installInvoiceDocuments } from './routes/documents.js';
import { installInvoiceRoutes } from './routes/invoices.js';
import { installPaymentRoutes } from './routes/payments.js';
import { installSubscriptionRoutes } from './routes/subscriptions.js';

export { type BillingApi, billingApi } from './api.js';
export { type Billing, createBilling } from './engine/context.js';
export {
  type BillingSettings,
  billingSettings,
  configureBilling,
  DEFAULT_BILLING_SETTINGS,
} from './settings.js';

function declareExpansions(ctx: EmulatorContext, billing: Billing): void {
  const { expand } = ctx;
  const invoice = (id: unknown) => {
    const found = typeof id === 'string' ? billing.data.invoices.get(id) : undefined;
    return found && view(found);
  };
  const charge = (id: unknown) => {
    const found = typeof id === 'string' ? billing.data.charges.get(id) : undefined;
    return found && chargeView(billing, found);
  };
  for (const type of [
    'subscription',
    'invoice',
    'payment_intent',
    'charge',
    'refund',
    'invoiceitem',
    'subscription_schedule',
  ]) {
    expand.reference(type, 'customer', 'customer');
  }
  expand.define('subscription', 'latest_invoice', invoice);
  expand.reference('subscription', 'default_payment_method', 'payment_method');
  expand.reference('subscription', 'schedule', 'subscription_schedule');
  expand.reference('subscription', 'test_clock', 'test_helpers.test_clock');
  expand.reference('subscription', 'discounts', 'discount');
  expand.reference('invoice', 'default_payment_method', 'payment_method');
  expand.reference('invoice', 'parent.subscription_details.subscription', 'subscription');
  expand.reference('invoice', 'discounts', 'discount');
  expand.reference('invoice', 'test_clock', 'test_helpers.test_clock');
  // Included only on request, as Stripe does: the invoice's payments and the secret to confirm one.
  expand.define('invoice', 'payments', (_value, parent) => {
    const data = billing.data.invoicePayments.filter((p) => p.invoice === parent.id).reverse();
    return {
      object: 'list',
      data,
      has_more: false,
      url: `/v1/invoice_payments?invoice=${String(parent.id)}`,
    };
  });
  expand.define('invoice', 'confirmation_secret', (_value, parent) => {
    const payment = billing.data.invoicePayments.find((p) => p.invoice === parent.id && p.status === 'open');
    const intent = payment && billing.data.paymentIntents.get(String(payment.payment.payment_intent));
    return intent ? { client_secret: intent.client_secret, type: 'payment_intent' } : null;
  });
  expand.reference('invoice_payment', 'payment.payment_intent', 'payment_intent');
  expand.define('invoice_payment', 'payment.charge', charge);
  expand.define('invoice_payment', 'invoice', invoice);
  expand.reference('payment_intent', 'payment_method', 'payment_method');
  expand.define('payment_intent', 'latest_charge', charge);
  expand.reference('charge', 'payment_intent', 'payment_intent');
  expand.reference('charge', 'payment_method', 'payment_method');
  expand.define('refund', 'charge', charge);
  expand.reference('refund', 'payment_intent', 'payment_intent');
  expand.define('invoiceitem', 'invoice', invoice);
  expand.reference('subscription_schedule', 'subscription', 'subscription');
  expand.reference('subscription_schedule', 'test_clock', 'test_helpers.test_clock');
  expand.reference('subscription_schedule', 'default_settings.default_payment_method', 'payment_method');
  expand.reference('subscription', 'pending_setup_intent', 'setup_intent');
  expand.reference('invoiceitem', 'test_clock', 'test_helpers.test_clock');
  expand.reference('invoiceitem', 'pricing.price_details.price', 'price');
  expand.reference('line_item', 'pricing.price_details.price', 'price');
  expand.reference('line_item', 'subscription', 'subscription');
  expand.reference('refund', 'payment_method', 'payment_method');
  expand.define('dispute', 'charge', charge);
  expand.reference('dispute', 'payment_intent', 'payment_intent');
  expand.define('radar.early_fraud_warning', 'charge', charge);
  expand.reference('radar.early_fraud_warning', 'payment_intent', 'payment_intent');
  expand.define('charge', 'balance_transaction', (id, charge) =>
    typeof id === 'string' ? balanceTransactionFor(id, charge, 'charge') : undefined,
  );
  expand.define('refund', 'balance_transaction', (id, refund) =>
    typeof id === 'string' ? balanceTransactionFor(id, refund, 'refund') : undefined,
  );
}

export const billingModule: EmulatorModule = {
  name: 'billing',
  install(ctx) {
    const billing = createBilling({ emulator: ctx });
    const clocks = new TestClocks(billing, (err) => ctx.logger.error({ err }, 'test clock advance failed'));
    installSubscriptionRoutes(ctx, billing);
    installScheduleRoutes(ctx, billing);
    installInvoiceRoutes(ctx, billing);
    installPaymentRoutes(ctx, billing);
    installDisputeRoutes(ctx, billing);
    installTestClockRoutes(ctx, billing, clocks);
    installInvoiceDocuments(ctx, billing);
    declareExpansions(ctx, billing);
    ctx.onClose(() => clocks.idle());
  },
};
