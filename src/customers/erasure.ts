import type { Logger } from 'pino';
import { auditStripeWrite, recordAudit } from '../audit/record.js';
import type { Db, DbOrTx } from '../db/client.js';
import { ConflictError } from '../http/errors.js';
import type { PiiCipher } from '../shared/crypto.js';
import type { StripeCustomers } from '../stripe/customers.js';
import { USER_ID_METADATA } from '../stripe/mapping.js';
import { erasureRepository as repo } from './erasure-repository.js';
import { scrubPersonalData } from './scrub.js';

export interface ErasureDeps {
  db: Db;
  stripe: StripeCustomers;
  cipher: PiiCipher;
  logger: Logger;
}

/**
 * Stripe retries a webhook for up to three days: events about an erased customer may arrive that
 * long after. The sweep looks a week back, and a minute before each erasure for an event stored
 * while the erasure itself was scrubbing.
 */
export const SWEEP_LOOKBACK_MS = 7 * 24 * 3600_000;
const IN_FLIGHT_MARGIN_MS = 60_000;

/**
 * Erases a customer's personal data on request (a right to erasure). Stripe deletes the customer
 * (its invoices stay, with the legal fields printed on them); Recur clears the name, email, its
 * keyed hash, the user link and metadata, and scrubs the stored events about the customer's objects.
 * Refused while a subscription still bills or gives access: cancel it first.
 */
export async function eraseCustomer(
  deps: ErasureDeps,
  customerId: string,
  now = new Date(),
): Promise<{ erasedAt: Date; eventsScrubbed: number }> {
  const live = await repo.liveSubscriptionIds(deps.db, customerId);
  if (live.length)
    throw new ConflictError(
      'customer_has_live_subscriptions',
      'The customer still has subscriptions that bill or give access: cancel them before erasing',
      { subscription_ids: live },
    );
  const audit = { action: 'customer.erase', objectType: 'customer', objectId: customerId };
  // Stripe first: when it fails nothing here has changed, and a retry is the same request.
  await auditStripeWrite(deps.db, audit, () => deps.stripe.delete(customerId, `recur-erase:${customerId}`));
  const erasedAt = await deps.db.transaction(async (tx) => {
    const earlier = await repo.lockErasedAt(tx, customerId);
    if (earlier === undefined) throw new Error(`customer ${customerId} vanished during its erasure`);
    if (earlier) return earlier;
    const at = await repo.markErased(tx, customerId, now);
    await recordAudit(tx, { ...audit, before: { erased_at: null }, after: { erased_at: at, deleted: true } });
    return at;
  });
  // Outside the transaction: a long history is rewritten page by page, and a repeated erasure
  // (harmless) finishes whatever a failure here left.
  const eventsScrubbed = await scrubEvents(deps, customerId, new Date(0));
  deps.logger.info({ customerId, eventsScrubbed }, 'customer personal data erased');
  return { erasedAt, eventsScrubbed };
}

/**
 * Scrubs the events stored since the erasure of each customer erased in the last week (a late
 * delivery of Stripe's `customer.deleted` carries the last email). Returns how many it rewrote.
 */
export async function sweepErasures(deps: ErasureDeps, now = new Date()): Promise<number> {
  let scrubbed = 0;
  for (const customer of await repo.erasedSince(deps.db, new Date(now.getTime() - SWEEP_LOOKBACK_MS))) {
    const since = new Date(new Date(customer.erased_at).getTime() - IN_FLIGHT_MARGIN_MS);
    scrubbed += await scrubEvents(deps, customer.id, since);
  }
  return scrubbed;
}

/** Rewrites the stored events about the customer's objects that still hold personal data. */
async function scrubEvents(deps: ErasureDeps, customerId: string, since: Date): Promise<number> {
  const { db, cipher } = deps;
  const objectIds = await repo.objectIds(db, customerId);
  let scrubbed = 0;
  let afterId = '';
  for (;;) {
    const page = await repo.eventsAbout(db, objectIds, since, afterId);
    for (const event of page) scrubbed += await scrubOne(db, cipher, event);
    if (page.length < repo.pageSize) return scrubbed;
    afterId = page.at(-1)!.id;
  }
}

async function scrubOne(
  db: DbOrTx,
  cipher: PiiCipher,
  event: { id: string; payload: string },
): Promise<number> {
  const stored: unknown = JSON.parse(cipher.decrypt(event.payload));
  const after = JSON.stringify(scrubPersonalData(stored, USER_ID_METADATA));
  if (after === JSON.stringify(stored)) return 0;
  await repo.replacePayload(db, event.id, cipher.encrypt(after));
  return 1;
}
