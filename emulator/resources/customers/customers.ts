/** `/v1/customers`: create, retrieve (also once deleted), update, list, search, delete. */
import type Stripe from 'stripe';
import type { EmulatorContext, EmulatorModule } from '../../core/context.js';
import { onlyChanged, previousAttributes } from '../../core/diff.js';
import { invalidRequest, resourceMissing } from '../../core/errors.js';
import { inRange, type PaginationParams, paginate } from '../../core/list.js';
import type { RangeFilter } from '../../core/params.js';
import { deletedObject, mustGet } from '../../core/records.js';
import { type SearchParams, searchFields, searchResult } from '../../core/search.js';
import { customersOf, deletedCustomersOf, paymentMethodsOf } from '../collections.js';
import { attachPaymentMethod, checkCardForSetup } from '../payment-methods/attachment.js';
import { assertReusable, resolvePaymentMethod } from '../payment-methods/card-objects.js';
import { type CustomerInput, changedCustomer, newCustomer } from './customer-objects.js';
import { createCustomerFields, listCustomerFields, updateCustomerFields } from './customer-params.js';

interface CustomerCreate extends CustomerInput {
  payment_method?: string;
  test_clock?: string;
}

interface CustomerListParams extends PaginationParams {
  created?: number | RangeFilter;
  email?: string;
  test_clock?: string;
}

const emptyList = (url: string) => ({ object: 'list', data: [], has_more: false, url });

function install(ctx: EmulatorContext): void {
  const customers = customersOf(ctx.store);
  const deletedCustomers = deletedCustomersOf(ctx.store);

  ctx.clock.useCustomerClocks((id) => {
    const clock = customers.get(id)?.test_clock;
    return typeof clock === 'string' ? clock : null;
  });

  ctx.expand.reference('customer', 'invoice_settings.default_payment_method', 'payment_method');
  ctx.expand.reference('customer', 'test_clock', 'test_helpers.test_clock');
  ctx.expand.define('customer', 'sources', (_v, customer) =>
    emptyList(`/v1/customers/${customer.id}/sources`),
  );
  ctx.expand.define('customer', 'tax_ids', (_v, customer) =>
    emptyList(`/v1/customers/${customer.id}/tax_ids`),
  );
  // Per currency, with the opposite sign of `balance`: positive is a credit for the next invoice
  // (https://docs.stripe.com/api/customers/object#customer_object-invoice_credit_balance).
  ctx.expand.define('customer', 'invoice_credit_balance', (_v, { currency, balance }) =>
    typeof currency === 'string' && typeof balance === 'number' && balance !== 0
      ? { [currency]: -balance }
      : {},
  );
  ctx.expand.define('customer', 'subscriptions', (_v, customer) => ({
    object: 'list',
    data: ctx.store
      .collection<Stripe.Subscription>('subscription')
      .newestFirst()
      .filter(
        (sub) =>
          sub.customer === customer.id && sub.status !== 'canceled' && sub.status !== 'incomplete_expired',
      ),
    has_more: false,
    url: `/v1/customers/${customer.id}/subscriptions`,
  }));

  /** Stripe only lets a customer default to a payment method attached to it. */
  const assertOwnPaymentMethod = (customerId: string, paymentMethodId: string | null | undefined) => {
    if (!paymentMethodId) return;
    const param = 'invoice_settings[default_payment_method]';
    const method = paymentMethodsOf(ctx.store).get(paymentMethodId);
    if (!method) throw resourceMissing('PaymentMethod', paymentMethodId, param);
    if (method.customer !== customerId) {
      throw invalidRequest(
        `The customer does not have a payment method with the ID ${paymentMethodId}. The payment method must be attached to the customer.`,
        { param },
      );
    }
  };

  ctx.route<CustomerCreate>({
    method: 'POST',
    path: '/v1/customers',
    params: createCustomerFields,
    handler: ({ params }) => {
      const { payment_method: paymentMethodId, test_clock: testClock, ...input } = params;
      if (testClock && ctx.clock.testClockNow(testClock) === undefined) {
        throw resourceMissing('test_clock', testClock, 'test_clock');
      }
      // Everything that can refuse the request is checked before the customer exists.
      const method = paymentMethodId ? resolvePaymentMethod(ctx, paymentMethodId) : null;
      if (method) {
        if (method.customer) {
          throw invalidRequest('The payment method you provided has already been attached to a customer.', {
            param: 'payment_method',
          });
        }
        assertReusable(ctx, method.id);
        checkCardForSetup(ctx, method.id);
      }
      const customer = newCustomer(input, ctx.clock.nowForTestClock(testClock), testClock ?? null);
      const defaultMethod = customer.invoice_settings.default_payment_method;
      if (defaultMethod && defaultMethod !== method?.id && defaultMethod !== paymentMethodId) {
        assertOwnPaymentMethod(customer.id, String(defaultMethod));
      }
      if (defaultMethod === paymentMethodId && method) {
        customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: method.id };
      }
      customers.save(customer);
      ctx.events.emit('customer.created', customer);
      if (method) attachPaymentMethod(ctx, method, customer.id);
      return customer;
    },
  });

  ctx.route({
    method: 'GET',
    path: '/v1/customers/:id',
    handler: ({ pathParams }) => {
      const id = pathParams.id!;
      return customers.get(id) ?? deletedCustomers.get(id) ?? mustGet(customers, id, 'customer');
    },
  });

  ctx.route<CustomerInput>({
    method: 'POST',
    path: '/v1/customers/:id',
    params: updateCustomerFields,
    handler: ({ pathParams, params }) => {
      const customer = mustGet(customers, pathParams.id!, 'customer');
      const wanted = params.invoice_settings?.default_payment_method;
      if (wanted) assertOwnPaymentMethod(customer.id, wanted);
      const updated = changedCustomer(customer, params);
      const previous = previousAttributes(customer, updated);
      if (onlyChanged(previous, [])) return customer;
      customers.save(updated);
      ctx.events.emit('customer.updated', updated, { previousAttributes: previous });
      return updated;
    },
  });

  ctx.route<CustomerListParams>({
    method: 'GET',
    path: '/v1/customers',
    params: listCustomerFields,
    handler: ({ params }) => {
      const matches = (customer: Stripe.Customer) =>
        (!params.email || customer.email === params.email) &&
        (!params.test_clock || customer.test_clock === params.test_clock) &&
        inRange(customer.created, params.created);
      return paginate(customers.newestFirst(), params, { url: '/v1/customers', noun: 'customer', matches });
    },
  });

  ctx.route<SearchParams>({
    method: 'GET',
    path: '/v1/customers/search',
    params: searchFields,
    handler: ({ params }) =>
      searchResult(customers.newestFirst(), params, {
        url: '/v1/customers/search',
        resource: 'customers',
        fields: {
          created: (customer) => customer.created,
          email: (customer) => customer.email,
          name: (customer) => customer.name,
          phone: (customer) => customer.phone,
        },
      }),
  });

  ctx.route({
    method: 'DELETE',
    path: '/v1/customers/:id',
    handler: ({ pathParams }) => {
      const customer = mustGet(customers, pathParams.id!, 'customer');
      const deleted = deletedObject(customer.id, 'customer');
      customers.delete(customer.id);
      deletedCustomers.save(deleted);
      ctx.events.emit('customer.deleted', customer);
      return deleted;
    },
  });
}

export const customersModule: EmulatorModule = { name: 'customers', install };
