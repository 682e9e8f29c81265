import type { IncomingEvent } from './inbox.js';

/**
 * Events that do not come from Stripe (Recur's own, and the generic payment webhook's) are stored
 * in Stripe's envelope, `{ id, object: 'event', type, created, data: { object } }`, so the worker and
 * its handlers treat every event alike.
 */
export function internalEvent(event: {
  source: 'recur' | 'payment_provider';
  /** Unique per source; a second event with the same id is a duplicate and is stored once. */
  externalId: string;
  type: string;
  object: { id: string; object: string } & Record<string, unknown>;
  occurredAt?: Date;
}): IncomingEvent {
  const occurredAt = event.occurredAt ?? new Date();
  const created = Math.floor(occurredAt.getTime() / 1000);
  return {
    source: event.source,
    externalId: event.externalId,
    type: event.type,
    objectId: event.object.id,
    objectType: event.object.object,
    occurredAt,
    payload: {
      id: event.externalId,
      object: 'event',
      type: event.type,
      created,
      livemode: false,
      data: { object: event.object },
    },
  };
}
