import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';

export type { Stripe };

export interface StripeTarget {
  secretKey: string;
  /** Set for a Stripe-compatible server other than api.stripe.com (the built-in emulator). */
  apiBase?: string;
}

/** The only place that constructs the SDK; everything else receives this client. */
export function createStripeClient(target: StripeTarget): Stripe {
  const base = target.apiBase ? new URL(target.apiBase) : null;
  return new Stripe(target.secretKey, {
    apiVersion: Stripe.API_VERSION,
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'recur' },
    ...(base && {
      host: base.hostname,
      port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
      protocol: base.protocol.replace(':', '') as 'http' | 'https',
    }),
  });
}

/**
 * Stripe keys are at most 255 characters. A key derived from the caller's own Idempotency-Key makes a
 * retried request replay Stripe's first answer; without one each logical write still gets its own.
 */
export function stripeIdempotencyKey(scope: string, clientKey: string | undefined, step: string): string {
  const base = clientKey ? `recur:${scope}:${clientKey}` : `recur:${scope}:${randomUUID()}`;
  return `${base}:${step}`.slice(0, 255);
}
