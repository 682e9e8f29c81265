// A small but whole billing history for walking every console page: plans, customers with
// subscriptions (active, failed, canceled, disputed), their invoices and events, and a webhook
// endpoint of the host app. Made through the API and the emulator as an operator and Stripe would.

import type { RecurProcess } from '../support/serve.js';
import { eventually } from '../support/wait.js';

export interface SeededConsole {
  /** Stripe's ids, in the order made: Ada Lovelace's first. */
  customerIds: string[];
  subscriptionIds: string[];
  endpointId: string;
}

export async function seedConsole(recur: RecurProcess): Promise<SeededConsole> {
  const api = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${recur.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${recur.adminKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  type Plan = { prices: Array<{ interval: string | null; stripe_price_id: string }> };
  const basic = await api<Plan>('/api/plans', {
    key: 'basic',
    name: 'Basic',
    benefits: [{ key: 'seats', value: 1 }],
    prices: [
      { currency: 'usd', unit_amount: 900, interval: 'month' },
      { currency: 'usd', unit_amount: 9000, interval: 'year' },
    ],
  });
  const pro = await api<Plan>('/api/plans', {
    key: 'pro',
    name: 'Pro',
    benefits: [{ key: 'seats', value: 5 }],
    prices: [{ currency: 'usd', unit_amount: 2900, interval: 'month' }],
  });
  const monthly = (plan: Plan) => plan.prices.find((p) => p.interval === 'month')!.stripe_price_id;

  const { stripe } = recur;
  const people = [
    ['Ada Lovelace', 'pm_card_visa', monthly(pro)],
    ['Grace Hopper', 'pm_card_visa', monthly(basic)],
    ['Linus Pauling', 'pm_card_mastercard', monthly(pro)],
    ['Jean Bartik', 'pm_card_createDispute', monthly(basic)],
    ['Alan Turing', 'pm_card_visa', monthly(basic)],
  ] as const;
  const customerIds: string[] = [];
  const subscriptionIds: string[] = [];
  for (const [name, card, price] of people) {
    const customer = await stripe.customers.create({
      name,
      email: `${name.split(' ')[0]!.toLowerCase()}@example.com`,
      payment_method: card,
      invoice_settings: { default_payment_method: card },
    });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price }] });
    customerIds.push(customer.id);
    subscriptionIds.push(subscription.id);
  }
  // One churned, one whose card now fails (an open invoice and a failed payment).
  await stripe.subscriptions.cancel(subscriptionIds[4]!);
  const failing = await stripe.customers.create({
    name: 'Kathleen Booth',
    email: 'kathleen@example.com',
    payment_method: 'pm_card_chargeCustomerFail',
    invoice_settings: { default_payment_method: 'pm_card_chargeCustomerFail' },
  });
  const incomplete = await stripe.subscriptions.create({
    customer: failing.id,
    items: [{ price: monthly(pro) }],
    payment_behavior: 'allow_incomplete',
  });
  customerIds.push(failing.id);
  subscriptionIds.push(incomplete.id);

  const { endpoint } = await api<{ endpoint: { id: string } }>('/api/admin/webhook-endpoints', {
    url: 'http://127.0.0.1:9/recur-webhooks',
    description: 'The host app',
  });

  // The webhooks reach the mirror on their own time: wait until every subscription is there.
  await eventually(async () => {
    const listed = await api<{ data: Array<{ id: string }> }>('/api/subscriptions?limit=50');
    const mirrored = new Set(listed.data.map((s) => s.id));
    if (!subscriptionIds.every((id) => mirrored.has(id))) throw new Error('subscriptions not mirrored yet');
    const disputes = await api<{ data: unknown[] }>('/api/admin/disputes');
    if (disputes.data.length !== 1) throw new Error('the dispute is not mirrored yet');
  }, 90_000);
  return { customerIds, subscriptionIds, endpointId: endpoint.id };
}
