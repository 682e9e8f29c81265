import type Stripe from 'stripe';
import type { ChangeAnnouncer } from '../app-webhooks/announcements.js';
import { StripeSubscriptions } from '../stripe/subscriptions.js';
import { SeatService } from './seats.js';
import { OrganizationService } from './service.js';

export type { OrganizationService, SeatService };

/** The organisations, and the seat rules plugged into their membership writes. */
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
  return { organizations, seats };
}
