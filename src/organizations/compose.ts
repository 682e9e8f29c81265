import type Stripe from 'stripe';
import type { ChangeAnnouncer } from '../app-webhooks/announcements.js';
import { membershipAnnouncements } from '../app-webhooks/membership-announcements.js';
import { StripeSubscriptions } from '../stripe/subscriptions.js';
import { SeatService } from './seats.js';
import { OrganizationService } from './service.js';

export type { OrganizationService, SeatService };

/**
 * The organisations, and what their membership writes do besides: the seat rules, and the member's
 * `entitlements.updated`.
 */
export function createOrganizations(
  deps: ConstructorParameters<typeof OrganizationService>[0],
  seatDeps: { stripe: Stripe; announcer: ChangeAnnouncer; taxEnabled: () => Promise<boolean> },
): { organizations: OrganizationService; seats: SeatService } {
  const organizations = new OrganizationService(deps);
  const seats = new SeatService({
    db: deps.db,
    stripe: new StripeSubscriptions(seatDeps.stripe),
    announcer: seatDeps.announcer,
    taxEnabled: seatDeps.taxEnabled,
    logger: deps.logger.child({ component: 'seats' }),
  });
  organizations.useMembershipHooks(seats);
  // After the seat rules, which may refuse the change: a refused member is told nothing.
  organizations.useMembershipHooks(membershipAnnouncements(seatDeps.announcer));
  return { organizations, seats };
}
