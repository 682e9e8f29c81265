import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
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
    const endpoint = await repo.insert(this.deps.db, {
      id: newId('we'),
      url: input.url,
      description: input.description ?? '',
      eventTypes: typesOf(input.event_types),
      enabled,
      disabledReason: enabled ? null : 'manual',
      secretEncrypted: this.deps.cipher.encrypt(secret),
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
    const updated = await repo.update(this.deps.db, id, changes);
    if (!updated) throw new NotFoundError('Webhook endpoint', id);
    return updated;
  }

  async delete(id: string): Promise<EndpointRow> {
    const deleted = await repo.delete(this.deps.db, id);
    if (!deleted) throw new NotFoundError('Webhook endpoint', id);
    return deleted;
  }

  async rotateSecret(id: string, overlapHours: number): Promise<{ endpoint: EndpointRow; secret: string }> {
    const secret = newEndpointSecret();
    const endpoint = await repo.rotateSecret(
      this.deps.db,
      id,
      this.deps.cipher.encrypt(secret),
      overlapHours,
    );
    if (!endpoint) throw new NotFoundError('Webhook endpoint', id);
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
    if (!(await repo.resend(this.deps.db, id))) throw new NotFoundError('Webhook delivery', id);
  }

  async resendFailed(endpointId: string, since: Date): Promise<number> {
    await this.get(endpointId);
    return repo.resendFailed(this.deps.db, endpointId, since);
  }
}
