/**
 * `/v1/customers/:id/balance_transactions`: the ledger behind a customer's invoice balance
 * (https://docs.stripe.com/billing/customer/balance). A negative amount is a credit, a positive one
 * a debit; the balance is their sum, applied to the next invoice finalized (see
 * billing/engine/invoicing.ts, which records its `applied_to_invoice` transaction here too).
 */
import type Stripe from 'stripe';
import type { EmulatorContext, EmulatorModule } from '../../core/context.js';
import { invalidRequest, resourceMissing } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inRange, listFields, type PaginationParams, paginate } from '../../core/list.js';
import { type ParamFields, p, type RangeFilter } from '../../core/params.js';
import { mergeMetadata, mustGet } from '../../core/records.js';
import type { Collection, Store } from '../../core/store.js';
import { customerBalanceTransactionsOf, customersOf } from '../collections.js';

/** Sends `customer.updated` with the attributes the transaction changed (an action's batch, or at once). */
export type CustomerUpdated = (
  customer: Stripe.Customer,
  previous: Record<string, unknown>,
  at: number,
) => void;

interface NewTransaction {
  amount: number;
  currency: string;
  type: Stripe.CustomerBalanceTransaction.Type;
  description?: string | null;
  metadata?: Record<string, string>;
  invoice?: string | null;
  created: number;
}

/**
 * Adds a transaction to the customer's ledger and its balance, and says so with `customer.updated`
 * (Stripe sends no event of the transaction itself: the SDK's event types have none). A customer
 * without a currency takes the transaction's.
 */
export function recordBalanceTransaction(
  store: Store,
  announce: CustomerUpdated,
  customer: Stripe.Customer,
  input: NewTransaction,
): Stripe.CustomerBalanceTransaction {
  const transaction: Stripe.CustomerBalanceTransaction = {
    id: newId('cbtxn'),
    object: 'customer_balance_transaction',
    amount: input.amount,
    checkout_session: null,
    created: input.created,
    credit_note: null,
    currency: input.currency,
    customer: customer.id,
    customer_account: null,
    description: input.description ?? null,
    ending_balance: customer.balance + input.amount,
    invoice: input.invoice ?? null,
    livemode: false,
    metadata: input.metadata ?? {},
    type: input.type,
  };
  customerBalanceTransactionsOf(store).save(transaction);
  const updated: Stripe.Customer = {
    ...customer,
    balance: transaction.ending_balance,
    currency: customer.currency ?? input.currency,
  };
  customersOf(store).save(updated);
  const previous: Record<string, unknown> = { balance: customer.balance };
  if (customer.currency !== updated.currency) previous.currency = customer.currency;
  announce(updated, previous, input.created);
  return transaction;
}

interface CreateParams {
  amount: number;
  currency: string;
  description?: string;
  metadata?: Record<string, string>;
}

interface ListParams extends PaginationParams {
  created?: number | RangeFilter;
  invoice?: string;
}

const createFields: ParamFields = {
  amount: p.integer({ required: true }),
  currency: p.string({ required: true }),
  description: p.string({ maxLength: 350 }),
  metadata: p.metadata(),
};

const updateFields: ParamFields = {
  description: p.string({ maxLength: 350 }),
  metadata: p.metadata(),
};

function install(ctx: EmulatorContext): void {
  const customers = customersOf(ctx.store);
  const transactions = customerBalanceTransactionsOf(ctx.store);

  /** A transaction of this customer; another customer's is as missing as one that never was. */
  const ownTransaction = (
    all: Collection<Stripe.CustomerBalanceTransaction>,
    customerId: string,
    id: string,
  ): Stripe.CustomerBalanceTransaction => {
    const found = all.get(id);
    if (!found || found.customer !== customerId)
      throw resourceMissing('customer_balance_transaction', id, 'id');
    return found;
  };

  ctx.expand.reference('customer_balance_transaction', 'customer', 'customer');
  ctx.expand.reference('customer_balance_transaction', 'invoice', 'invoice');
  ctx.expand.reference('customer_balance_transaction', 'checkout_session', 'checkout.session');
  // The emulator issues no credit notes: its transactions never name one.
  ctx.expand.define('customer_balance_transaction', 'credit_note', () => null);

  ctx.route<CreateParams>({
    method: 'POST',
    path: '/v1/customers/:customer/balance_transactions',
    params: createFields,
    handler: ({ pathParams, params }) => {
      const customer = mustGet(customers, pathParams.customer!, 'customer');
      const currency = params.currency.toLowerCase();
      if (!/^[a-z]{3}$/.test(currency))
        throw invalidRequest(`Invalid currency: ${params.currency}.`, { param: 'currency' });
      if (params.amount === 0)
        throw invalidRequest('The amount of a customer balance transaction must not be zero.', {
          param: 'amount',
        });
      if (customer.currency && customer.currency !== currency)
        throw invalidRequest(
          `The customer's currency is ${customer.currency}: a balance transaction in ${currency} cannot be applied to its balance.`,
          { param: 'currency' },
        );
      const announce: CustomerUpdated = (updated, previous, at) =>
        ctx.events.emit('customer.updated', updated, { created: at, previousAttributes: previous });
      return recordBalanceTransaction(ctx.store, announce, customer, {
        amount: params.amount,
        currency,
        type: 'adjustment',
        description: params.description ?? null,
        metadata: mergeMetadata({}, params.metadata),
        created: ctx.clock.nowForCustomer(customer.id),
      });
    },
  });

  ctx.route({
    method: 'GET',
    path: '/v1/customers/:customer/balance_transactions/:id',
    handler: ({ pathParams }) => {
      mustGet(customers, pathParams.customer!, 'customer');
      return ownTransaction(transactions, pathParams.customer!, pathParams.id!);
    },
  });

  ctx.route<{ description?: string; metadata?: Record<string, string> | null }>({
    method: 'POST',
    path: '/v1/customers/:customer/balance_transactions/:id',
    params: updateFields,
    handler: ({ pathParams, params }) => {
      mustGet(customers, pathParams.customer!, 'customer');
      const transaction = ownTransaction(transactions, pathParams.customer!, pathParams.id!);
      return transactions.save({
        ...transaction,
        ...(params.description !== undefined && { description: params.description }),
        metadata: mergeMetadata(transaction.metadata ?? {}, params.metadata),
      });
    },
  });

  ctx.route<ListParams>({
    method: 'GET',
    path: '/v1/customers/:customer/balance_transactions',
    params: listFields({ created: p.range(), invoice: p.string() }),
    handler: ({ pathParams, params }) => {
      const customer = mustGet(customers, pathParams.customer!, 'customer');
      const url = `/v1/customers/${customer.id}/balance_transactions`;
      return paginate(transactions.newestFirst(), params, {
        url,
        noun: 'customer_balance_transaction',
        matches: (t) =>
          t.customer === customer.id &&
          (!params.invoice || t.invoice === params.invoice) &&
          inRange(t.created, params.created),
      });
    },
  });
}

export const customerBalanceTransactionsModule: EmulatorModule = {
  name: 'customer_balance_transactions',
  install,
};
