import type Stripe from 'stripe';
import { callStripe } from './errors.js';
import { isResourceMissing } from './lists.js';
import { ORGANIZATION_ID_METADATA, USER_ID_METADATA } from './mapping.js';

/** What Stripe prints on a customer's invoices: a footer and up to four custom fields. */
export interface InvoiceBranding {
  footer: string | null;
  customFields: Array<{ name: string; value: string }>;
}

export interface NewCustomer {
  /** The host app's user id, kept in Stripe's metadata so a sync links the customer back. */
  userId?: string;
  /** The host app's organisation id, kept in metadata likewise; a customer has this or a user id. */
  organizationId?: string;
  email?: string;
  name?: string;
  invoice?: InvoiceBranding;
}

/** Stripe's `invoice_settings` for `branding`: an empty string or list clears what was set. */
function invoiceSettings(branding: InvoiceBranding): Stripe.CustomerUpdateParams.InvoiceSettings {
  return {
    footer: branding.footer ?? '',
    custom_fields: branding.customFields.length ? branding.customFields : '',
  };
}

/** The Stripe half of customers. */
export class StripeCustomers {
  constructor(private readonly stripe: Stripe) {}

  create(customer: NewCustomer, idempotencyKey: string): Promise<Stripe.Customer> {
    return callStripe(() =>
      this.stripe.customers.create(
        {
          ...(customer.email ? { email: customer.email } : {}),
          ...(customer.name ? { name: customer.name } : {}),
          ...(customer.userId ? { metadata: { [USER_ID_METADATA]: customer.userId } } : {}),
          ...(customer.organizationId
            ? { metadata: { [ORGANIZATION_ID_METADATA]: customer.organizationId } }
            : {}),
          ...(customer.invoice && {
            invoice_settings: {
              ...(customer.invoice.footer ? { footer: customer.invoice.footer } : {}),
              ...(customer.invoice.customFields.length
                ? { custom_fields: customer.invoice.customFields }
                : {}),
            },
          }),
        },
        { idempotencyKey },
      ),
    );
  }

  /** Brings an organisation's customer in step with it: its name, billing email and invoice branding. */
  update(
    id: string,
    fields: { name: string; email: string | null; invoice: InvoiceBranding },
    idempotencyKey: string,
  ): Promise<Stripe.Customer> {
    return callStripe(() =>
      this.stripe.customers.update(
        id,
        { name: fields.name, email: fields.email ?? '', invoice_settings: invoiceSettings(fields.invoice) },
        { idempotencyKey },
      ),
    );
  }

  /**
   * Adds a credit to the customer's invoice balance, which Stripe takes off the next invoices it
   * finalizes (https://docs.stripe.com/billing/customer/balance): a transaction of minus `amount`.
   */
  creditBalance(
    id: string,
    credit: { amount: number; currency: string; description: string },
    idempotencyKey: string,
  ): Promise<Stripe.CustomerBalanceTransaction> {
    return callStripe(() =>
      this.stripe.customers.createBalanceTransaction(
        id,
        {
          amount: -credit.amount,
          currency: credit.currency,
          description: credit.description,
        },
        { idempotencyKey },
      ),
    );
  }

  /**
   * Deletes the customer in Stripe, which keeps its invoices (with their own copy of the billing
   * details, the invoice's legal fields) and removes the rest. Done when Stripe has no such customer.
   */
  async delete(id: string, idempotencyKey: string): Promise<void> {
    try {
      await callStripe(() => this.stripe.customers.del(id, {}, { idempotencyKey }));
    } catch (error) {
      if (!isResourceMissing(error)) throw error;
    }
  }

  /** The oldest live customer with exactly this email, if Stripe has one Recur has not mirrored yet. */
  async findByEmail(email: string): Promise<Stripe.Customer | null> {
    const page = await callStripe(() => this.stripe.customers.list({ email, limit: 100 }));
    const live = page.data.filter((c) => !c.deleted);
    return live.sort((a, b) => a.created - b.created)[0] ?? null;
  }
}
