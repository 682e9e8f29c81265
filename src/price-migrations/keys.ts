/**
 * The Stripe idempotency key of one step of moving one subscription in one migration: the same on
 * every try, so a try repeated after a crash is answered with what Stripe did the first time.
 */
export function migrationKey(migrationId: string, subscriptionId: string, step: string): string {
  return `recur:price_migration:${migrationId}:${subscriptionId}:${step}`.slice(0, 255);
}
