import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { RecurEvents } from '../../src/index.js';

export const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

let messages = 0;

/**
 * A delivery as Recur sends it: the body and the Standard Webhooks headers, signed by the
 * `standardwebhooks` package with each secret (two signatures during a rotation). A string is sent as is.
 */
export function signed(event: unknown, secrets: string[], at = new Date()) {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const id = `msg_${++messages}`;
  return {
    body,
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' '),
    },
  };
}

export function entitlementsUpdated(
  userId: string,
  sequence: number,
  benefits: Record<string, boolean | number | string>,
  timestamp = new Date().toISOString(),
): RecurEvents['entitlements.updated'] {
  return {
    type: 'entitlements.updated',
    version: 1,
    timestamp,
    subject: `user:${userId}`,
    sequence,
    data: {
      user_id: userId,
      entitlements: { benefits, sources: {}, subscriptions: [], purchases: [], usage: {} },
      changes: { added: Object.keys(benefits), removed: [], changed: [] },
    },
  };
}
