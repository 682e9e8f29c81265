import type { DbOrTx } from '../db/client.js';
import { lockObject } from '../mirror/locks.js';
import { organizationRepository } from '../organizations/repository.js';
import type { MembershipHooks } from '../organizations/service.js';
import { newId } from '../shared/ids.js';
import type { ChangeAnnouncer, ChangeWatch } from './announcements.js';

/**
 * A member who joins or leaves an organisation gains or loses what its subscriptions give: the
 * user's entitlements are read before the membership write and again after it, in its transaction,
 * and `entitlements.updated` is written with it when they differ (a change of role changes nothing).
 * The organisation's customer is locked first, as every event about its subscriptions locks it, so
 * a subscription change and a membership change announce one after the other, each from the other's
 * result.
 */
export function membershipAnnouncements(announcer: ChangeAnnouncer): MembershipHooks {
  const watches = new WeakMap<DbOrTx, ChangeWatch>();
  return {
    async beforeChange(tx, { organization, before, after }) {
      const userId = after?.userId ?? before?.userId;
      if (!userId || (before && after)) return;
      const customerId = await organizationRepository.customerId(tx, organization.id);
      if (customerId) await lockObject(tx, customerId);
      watches.set(tx, await announcer.watchUsers(tx, [userId]));
    },
    async afterChange(tx) {
      const watch = watches.get(tx);
      if (!watch) return;
      watches.delete(tx);
      await watch.announce(tx, { key: `api:${newId('mbr')}`, at: new Date() });
    },
  };
}
