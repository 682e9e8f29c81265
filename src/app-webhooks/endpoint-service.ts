import { randomBytes } from 'node:crypto';
import { recordAudit } from '../audit/record.js';
import type { Db, Tx } from '../db/client.js';
import type { AppWebhookDeliveryStatus } from '../db/schema/index.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import type { PiiCipher } from '../shared/crypto.js';
import { newId } from '../shared/ids.js';
import type { AppEventType } from './catalog.js';
import { type EndpointChanges, type EndpointRow, endpointRepository as repo } from './endpoint-repository.js';
import { announce } from './outbox.js';

/**
 * Says why a URL may not receive deliveries (not http(s), credentials in it, plain HTTP in live
 * mode, a name leading to a private address …), or null when it may.
 */
export type TargetVetting = (url: string) => Promise<string | null>;

export interface EndpointInput {
  url: string;
  description?: string;
  /** Null or absent: every type, including the ones added later. */
  event_types?: AppEventType[] | null;
  enabled?: boolean;
}

/** A Standard Webhooks secret: `whsec_` and the base64 of 24 random bytes. */
export function newEndpointSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

function endpointFacts(row: EndpointRow): Record<string, unknown> {
  return {
    url: row.url,
    description: row.description,
    event_types: row.eventTypes,
    enabled: row.enabled,
    disabled_reason: row.disabledReason,
  };
}

function recordEndpointWrite(
  tx: Tx,
  action: string,
  id: string,
  before: EndpointRow | null,
  after: EndpointRow | null,
): Promise<void> {
  return recordAudit(tx, {
    action,
    objectType: 'webhook_endpoint',
    objectId: id,
    before: before && endpointFacts(before),
    after: after && endpointFacts(after),
  });
}

/** The types without repeats, or null for every type. */
function typesOf(types: AppEventType[] | null | undefined): AppEventType[] | null {
  return types ? [...new Set(types)] : null;
}

/**
 * The host app's webhook endpoints and what was delivered to them. Secrets leave this service only
 * in the answer to the call that made them.
 */
export class EndpointService {
  constructor(
    private readonly deps: {
      db: Db;
      cipher: PiiCipher;
      vetTarget: TargetVetting;
    },
  ) {}

  private async vet(url: string): Promise<void> {
    const reason = await this.deps.vetTarget(url);
    if (reason)
      throw new ValidationError('invalid_webhook_url', `Refused webhook URL: ${reason}`, { reason });
  }

  async create(input: EndpointInput): Promise<{ endpoint: EndpointRow; secret: string }> {
    await this.vet(input.url);
    const secret = newEndpointSecret();
    const enabled = input.enabled ?? true;
    const endpoint = await this.deps.db.transaction(async (tx) => {
      const inserted = await repo.insert(tx, {
        id: newId('we'),
        url: input.url,
        description: input.description ?? '',
        eventTypes: typesOf(input.event_types),
        enabled,
        disabledReason: enabled ? null : 'manual',
        secretEncrypted: this.deps.cipher.encrypt(secret),
      });
      await recordEndpointWrite(tx, 'webhook_endpoint.create', inserted.id, null, inserted);
      return inserted;
    });
    return { endpoint, secret };
  }

  list(): Promise<EndpointRow[]> {
    return repo.list(this.deps.db);
  }

  async get(id: string): Promise<EndpointRow> {
    const endpoint = await repo.find(this.deps.db, id);
    if (!endpoint) throw new NotFoundError('Webhook endpoint', id);
    return endpoint;
  }

  async update(id: string, input: Partial<EndpointInput>): Promise<EndpointRow> {
    const current = await this.get(id);
    if (input.url !== undefined && input.url !== current.url) await this.vet(input.url);
    const changes: EndpointChanges = {};
    if (input.url !== undefined) changes.url = input.url;
    if (input.description !== undefined) changes.description = input.description;
    if (input.event_types !== undefined) changes.eventTypes = typesOf(input.event_types);
    if (input.enabled === true && !current.enabled) {
      // A fresh start: the failures that disabled it no longer count towards disabling it again.
      Object.assign(changes, { enabled: true, disabledReason: null, failingSince: null });
    } else if (input.enabled === false && current.enabled) {
      Object.assign(changes, { enabled: false, disabledReason: 'manual' });
    }
    return this.deps.db.transaction(async (tx) => {
      const updated = await repo.update(tx, id, changes);
      if (!updated) throw new NotFoundError('Webhook endpoint', id);
      await recordEndpointWrite(tx, 'webhook_endpoint.update', id, current, updated);
      return updated;
    });
  }

  async delete(id: string): Promise<EndpointRow> {
    return this.deps.db.transaction(async (tx) => {
      const deleted = await repo.delete(tx, id);
      if (!deleted) throw new NotFoundError('Webhook endpoint', id);
      await recordEndpointWrite(tx, 'webhook_endpoint.delete', id, deleted, null);
      return deleted;
    });
  }

  async rotateSecret(id: string, overlapHours: number): Promise<{ endpoint: EndpointRow; secret: string }> {
    const secret = newEndpointSecret();
    const endpoint = await this.deps.db.transaction(async (tx) => {
      const rotated = await repo.rotateSecret(tx, id, this.deps.cipher.encrypt(secret), overlapHours);
      if (!rotated) throw new NotFoundError('Webhook endpoint', id);
      await recordAudit(tx, {
        action: 'webhook_endpoint.rotate_secret',
        objectType: 'webhook_endpoint',
        objectId: id,
        // Neither secret is recorded: only when the old one stops being accepted.
        after: { previous_secret_expires_at: rotated.previousSecretExpiresAt },
      });
      return rotated;
    });
    return { endpoint, secret };
  }

  /** A `ping` to this endpoint alone (enabled or not), due at once. */
  async sendTest(id: string): Promise<{ messageId: string; deliveryId: string }> {
    const endpoint = await this.get(id);
    return this.deps.db.transaction(async (tx) => {
      const messageId = await announce(tx, {
        type: 'ping',
        subject: `endpoint:${endpoint.id}`,
        dedupeKey: newId('ping'),
        at: new Date(),
        data: { endpoint_id: endpoint.id, message: 'A test message sent from Recur' },
        endpointId: endpoint.id,
      });
      const deliveryId = messageId && (await repo.deliveryIdOf(tx, messageId, endpoint.id));
      // Deleted between the two statements: nothing was written.
      if (!messageId || !deliveryId) throw new NotFoundError('Webhook endpoint', id);
      await recordAudit(tx, {
        action: 'webhook_endpoint.test',
        objectType: 'webhook_endpoint',
        objectId: endpoint.id,
        after: { message_id: messageId, delivery_id: deliveryId },
      });
      return { messageId, deliveryId };
    });
  }

  async deliveries(
    endpointId: string,
    filter: { status?: AppWebhookDeliveryStatus },
    page: { limit: number; before?: { at: Date; id: string } },
  ) {
    await this.get(endpointId);
    return repo.deliveries(this.deps.db, endpointId, filter, page);
  }

  async delivery(id: string) {
    const delivery = await repo.delivery(this.deps.db, id);
    if (!delivery) throw new NotFoundError('Webhook delivery', id);
    return { delivery, attempts: await repo.attempts(this.deps.db, id) };
  }

  /** Due again now, whatever its status (a succeeded one is sent again). */
  async resend(id: string): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      if (!(await repo.resend(tx, id))) throw new NotFoundError('Webhook delivery', id);
      await recordAudit(tx, {
        action: 'webhook_delivery.resend',
        objectType: 'webhook_delivery',
        objectId: id,
        after: { due_at: new Date() },
      });
    });
  }

  async resendFailed(endpointId: string, since: Date): Promise<number> {
    await this.get(endpointId);
    return this.deps.db.transaction(async (tx) => {
      const count = await repo.resendFailed(tx, endpointId, since);
      await recordAudit(tx, {
        action: 'webhook_endpoint.resend_failed',
        objectType: 'webhook_endpoint',
        objectId: endpointId,
        after: { since, deliveries: count },
      });
      return count;
    });
  }
}
