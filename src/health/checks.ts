import type { ReadinessCheck } from './routes.js';

interface Pingable {
  ping(): Promise<void>;
}

/** Probes run often; Stripe is asked at most this often, which keeps them off its rate limit. */
const STRIPE_EVERY_MS = 30_000;

/** What `/health/ready` asks: the database, the queue, the cache and Stripe. */
export function readinessChecks(deps: {
  database: Pingable;
  queue: Pingable;
  cache: Pingable;
  stripe: Pingable;
}): ReadinessCheck[] {
  let stripeCheckedAt = 0;
  return [
    { name: 'database', check: () => deps.database.ping() },
    { name: 'queue', check: () => deps.queue.ping() },
    { name: 'cache', check: () => deps.cache.ping() },
    {
      name: 'stripe',
      check: async () => {
        if (Date.now() - stripeCheckedAt < STRIPE_EVERY_MS) return;
        await deps.stripe.ping();
        stripeCheckedAt = Date.now();
      },
    },
  ];
}
