import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import type { Stripe } from '../../src/stripe/index.js';
import type { TestApp } from './app.js';

/**
 * A customer event that fails for real when processed: its customer row is stamped with the
 * event's own second, so the worker must read the customer from Stripe, and Stripe is made to
 * refuse that read until `heal`. Call with the worker stopped, so the test decides when it runs.
 */
export async function failingCustomerEvent(
  t: TestApp,
  stripe: Stripe,
  email: string,
): Promise<{ eventId: string; customerId: string; heal: () => void }> {
  const customer = await stripe.customers.create({ email });
  await t.emulator.webhooksIdle();
  const [stored] = await queryRows<{ id: string; occurred_at: Date }>(
    t.database.db,
    sql`select id, occurred_at from events where object_id = ${customer.id}`,
  );
  await t.database.db.execute(
    sql`insert into customers (id, deleted, metadata, stripe_event_at, created_at) values (${customer.id}, false, '{}', ${stored!.occurred_at}, now())`,
  );
  t.emulator.faults.set({
    failNext: [
      {
        method: 'GET',
        path: `/v1/customers/${customer.id}`,
        count: 20,
        status: 400,
        error: { type: 'invalid_request_error', message: 'Injected read failure' },
      },
    ],
  });
  return {
    eventId: stored!.id,
    customerId: customer.id,
    heal: () => t.emulator.faults.set({ failNext: [] }),
  };
}
