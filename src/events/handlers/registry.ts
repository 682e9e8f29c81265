import type { ChangeAnnouncer } from '../../app-webhooks/announcements.js';
import { announcesFor, announcing } from '../../app-webhooks/event-announcements.js';
import { withPlanGrants } from '../../credits/plan-grants.js';
import type { DbOrTx } from '../../db/client.js';
import type { FraudPolicies } from '../../disputes/policy.js';
import { withPurchases } from '../../purchases/handlers.js';
import type { StripeDisputeActions } from '../../stripe/disputes.js';
import type { StripeSubscriptionWrites } from '../../stripe/subscription-writes.js';
import { followingBases } from '../../subscriptions/add-on-ends.js';
import type { CatalogSync } from '../../sync/catalog.js';
import { withLimitFloors } from '../../usage/limit-floors.js';
import { withRenewalReport } from '../../usage/meter-renewal.js';
import { catalogHandlers } from './catalog.js';
import type { EventHandler } from './context.js';
import { customerHandlers } from './customer.js';
import { disputeHandlers } from './dispute.js';
import { invoiceHandlers } from './invoice.js';
import { paymentHandlers } from './payment.js';
import { paymentProviderHandlers } from './payment-provider.js';
import { recurHandlers } from './recur.js';
import { subscriptionHandlers } from './subscription.js';

const BASE_CHANGES = [
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
] as const;

export type HandlerRegistry = ReadonlyMap<string, EventHandler>;

/** Every event type Recur acts on. Types not listed are stored and marked `ignored`. */
export function createHandlerRegistry(deps: {
  catalogSync: CatalogSync;
  invalidatePlanCache: () => Promise<void>;
  subscriptionWrites: StripeSubscriptionWrites;
  /** Tells the host app what the events changed, in their own transactions. */
  announcer: ChangeAnnouncer;
  disputeActions: StripeDisputeActions;
  /** What disputes and early fraud warnings do, per the deployment's settings. */
  fraudPolicies: (tx: DbOrTx) => Promise<FraudPolicies>;
  /** A subscription's renewal invoice was made: its period's overage is reported at once. */
  renewalInvoiced?: () => void;
  /** Days a past-due subscription keeps giving access (the entitlements' grace). */
  graceDays: number;
}): HandlerRegistry {
  const handlers = new Map(
    Object.entries({
      ...customerHandlers,
      ...subscriptionHandlers(deps.catalogSync, deps.invalidatePlanCache),
      ...invoiceHandlers,
      ...paymentHandlers(deps.disputeActions),
      ...catalogHandlers(deps.catalogSync, deps.invalidatePlanCache),
      ...recurHandlers,
      ...paymentProviderHandlers(deps.subscriptionWrites),
      ...disputeHandlers({
        policies: deps.fraudPolicies,
        stripe: deps.disputeActions,
        announcer: deps.announcer,
      }),
    }),
  );
  // A paid one-time plan's Checkout Session is a purchase; a charge refunded in full takes it back.
  withPurchases(handlers, { announcer: deps.announcer });
  // A paid period invoice grants the plan's credits for the period.
  withPlanGrants(handlers);
  // A limit lowered mid-period (a downgrade made anywhere) holds until the period ends.
  withLimitFloors(handlers, deps.graceDays);
  // A renewal's draft invoice takes usage reported before it is finalised: report the overage now.
  if (deps.renewalInvoiced) withRenewalReport(handlers, deps.renewalInvoiced);
  // Add-ons follow their base: what a base's change does to them is part of applying it.
  for (const type of BASE_CHANGES)
    handlers.set(type, followingBases(handlers.get(type)!, deps.subscriptionWrites));
  for (const [type, handler] of handlers)
    if (announcesFor(type)) handlers.set(type, announcing(handler, deps.announcer));
  return handlers;
}
