import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { Db } from '../db/client.js';
import type { EventQueue } from '../queue/port.js';
import type { PiiCipher } from '../shared/crypto.js';
import { newId } from '../shared/ids.js';
import { Batcher } from './batcher.js';
import { type EventMetrics, WATCHED_EVENT_TYPES } from './metrics.js';
import { type InboxRow, eventRepository as repo } from './repository.js';

export interface IncomingEvent {
  source: 'stripe' | 'payment_provider' | 'recur';
  externalId: string;
  type: string;
  objectId: string | null;
  objectType: string | null;
  occurredAt: Date;
  livemode?: boolean;
  apiVersion?: string | null;
  payload: unknown;
  /** The payload exactly as received, when there is one: stored as is, not serialised again. */
  rawPayload?: string;
}

/**
 * Takes events in: one durable insert keyed by (source, external id), so a duplicate delivery is
 * stored once, then a best-effort hand-off of the id to the queue. If that hand-off fails the row
 * stays unpublished and the relay sends it later: nothing accepted is lost.
 *
 * Inserts go through group commit: concurrent deliveries share one multi-row insert, and each
 * caller is answered only once its own row is committed (or found to be a duplicate).
 */
export class EventInbox {
  /** Resolves to true when the row was stored, false when its (source, external id) already was. */
  private readonly writer: Batcher<InboxRow, boolean>;

  constructor(
    private readonly deps: {
      db: Db;
      cipher: PiiCipher;
      queue: EventQueue;
      metrics: EventMetrics;
      logger: Logger;
    },
  ) {
    this.writer = new Batcher(
      async (rows) => {
        const stored = await repo.insertInboxRows(deps.db, rows, deps.queue.notifyChannel);
        return rows.map((row) => stored.has(row.id));
      },
      // One insert in flight, and the rows that arrive meanwhile go together in the next. A second
      // one in flight only split the same rows into more statements, commits and wake-ups: in the
      // webhook benchmark, one gave 4–37% more events/s at a lower p99, in each of five paired runs.
      { maxBatch: 200, maxConcurrent: 1 },
    );
  }

  /** `rawBody`: the body exactly as received, decoded; stored as is rather than serialised again. */
  ingestStripe(event: Stripe.Event, rawBody?: string): Promise<{ id: string; duplicate: boolean }> {
    const object: { id?: string; object?: string } = event.data.object;
    return this.ingest({
      source: 'stripe',
      externalId: event.id,
      type: event.type,
      objectId: object.id ?? null,
      objectType: object.object ?? null,
      occurredAt: new Date(event.created * 1000),
      livemode: event.livemode,
      apiVersion: event.api_version,
      payload: event,
      ...(rawBody !== undefined ? { rawPayload: rawBody } : {}),
    });
  }

  async ingest(incoming: IncomingEvent): Promise<{ id: string; duplicate: boolean }> {
    const { cipher, metrics } = this.deps;
    const id = newId('ev');
    const stored = await this.writer.submit({
      id,
      source: incoming.source,
      externalId: incoming.externalId,
      type: incoming.type,
      objectId: incoming.objectId,
      objectType: incoming.objectType,
      livemode: incoming.livemode === undefined ? null : String(incoming.livemode),
      apiVersion: incoming.apiVersion ?? null,
      payload:
        incoming.rawPayload !== undefined
          ? cipher.encrypt(incoming.rawPayload)
          : cipher.encryptJson(incoming.payload),
      occurredAt: incoming.occurredAt,
      // Marked published before the hand-off, never after: an update racing the worker that already
      // received the id would lock the row under it. A failed hand-off clears the mark again.
      publishedAt: new Date(),
    });
    metrics.received.inc({ source: incoming.source, duplicate: String(!stored) });
    if (!stored) return { id, duplicate: true };
    if (incoming.source === 'stripe' && WATCHED_EVENT_TYPES.has(incoming.type))
      metrics.watched.inc({ type: incoming.type });
    void this.publish(id);
    return { id, duplicate: false };
  }

  private async publish(id: string): Promise<void> {
    const { queue, db, logger } = this.deps;
    try {
      await queue.publish(id, { notified: queue.notifyChannel !== undefined });
    } catch (error) {
      logger.warn({ err: error, eventId: id }, 'queue hand-off failed; the relay will resend');
      // Should this fail too, the relay still resends the event once it has waited too long.
      await repo.markUnpublished(db, [id]).catch(() => {});
    }
  }
}
