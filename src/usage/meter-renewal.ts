import type { EventHandler } from '../events/handlers/context.js';

/**
 * When Stripe makes a subscription's renewal invoice (`invoice.created`, `subscription_cycle`), it
 * leaves it a draft for about an hour and counts the meter events dated in the period that arrive
 * meanwhile (https://docs.stripe.com/billing/subscriptions/usage-based/recording-usage-api): the
 * meter reporter runs at once then, so the period's last overage is on that invoice rather than
 * waiting for the next scheduled run.
 */
export function withRenewalReport(handlers: Map<string, EventHandler>, report: () => void): void {
  const mirror = handlers.get('invoice.created')!;
  handlers.set('invoice.created', async (ctx) => {
    const result = await mirror(ctx);
    const { event } = ctx;
    if (event.type === 'invoice.created' && event.data.object.billing_reason === 'subscription_cycle')
      report();
    return result;
  });
}
