// The events of one billing action, flushed to the event log in Stripe's order when the action
// completes. Each event's object is captured at the moment it is recorded, so `invoice.created`
// shows the draft even though the invoice is paid a moment later. A slot can be reserved and
// filled later: a subscription created and paid in one call is announced first, with the status
// it ends up in, as Stripe does.

import type { EventLog } from '../../core/events.js';

interface Recorded {
  type: string;
  object: { object: string; id?: string };
  previousAttributes?: Record<string, unknown>;
  created: number;
}

export class EventBatch {
  private readonly entries: Array<Recorded | null> = [];
  /** Objects whose creation event is reserved but not yet filled. */
  private readonly unannounced = new Map<string, number>();

  constructor(private readonly log: EventLog) {}

  record(
    type: string,
    object: { object: string; id?: string },
    created: number,
    previousAttributes?: Record<string, unknown>,
  ): void {
    this.entries.push(this.capture(type, object, created, previousAttributes));
  }

  /** Reserves the creation event of `objectId`; changes before it is filled belong to the creation. */
  reserve(objectId: string): void {
    this.entries.push(null);
    this.unannounced.set(objectId, this.entries.length - 1);
  }

  isUnannounced(objectId: string): boolean {
    return this.unannounced.has(objectId);
  }

  fill(type: string, object: { object: string; id: string }, created: number): void {
    const slot = this.unannounced.get(object.id);
    if (slot === undefined) throw new Error(`No event reserved for ${object.id}`);
    this.entries[slot] = this.capture(type, object, created);
    this.unannounced.delete(object.id);
  }

  flush(): void {
    const entries = this.entries.splice(0);
    for (const entry of entries) {
      if (!entry) continue;
      this.log.emit(entry.type, entry.object, {
        created: entry.created,
        ...(entry.previousAttributes && { previousAttributes: entry.previousAttributes }),
      });
    }
  }

  private capture(
    type: string,
    object: { object: string; id?: string },
    created: number,
    previousAttributes?: Record<string, unknown>,
  ): Recorded {
    return {
      type,
      object: structuredClone(object),
      created,
      ...(previousAttributes && { previousAttributes: structuredClone(previousAttributes) }),
    };
  }
}
