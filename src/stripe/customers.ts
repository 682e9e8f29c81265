import type Stripe from 'stripe';
import { callStripe } from './errors.js';
import { isResourceMissing } from './lists.js';
import { USER_ID_METADATA } from './mapping.js';

export interface NewCustomer {
  /** The host app's user id, kept in Stripe's metadata so a sync links the customer back. */
  userId?: string;
  email?: string;
  name?: string;
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
