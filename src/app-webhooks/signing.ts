import { Webhook } from 'standardwebhooks';
import type { PiiCipher } from '../shared/crypto.js';

/** What an endpoint row holds of its secrets, still sealed. */
export interface SealedEndpointSecrets {
  secretEncrypted: string;
  previousSecretEncrypted: string | null;
  previousSecretExpiresAt: Date | null;
}

/**
 * The secrets that sign a delivery sent at `now`: the current one, and during a rotation's overlap
 * the previous one too, so a receiver still holding the old secret keeps verifying until it expires.
 */
export function signingSecrets(endpoint: SealedEndpointSecrets, cipher: PiiCipher, now: Date): string[] {
  const secrets = [cipher.decrypt(endpoint.secretEncrypted)];
  if (
    endpoint.previousSecretEncrypted &&
    endpoint.previousSecretExpiresAt &&
    endpoint.previousSecretExpiresAt.getTime() > now.getTime()
  )
    secrets.push(cipher.decrypt(endpoint.previousSecretEncrypted));
  return secrets;
}

/** The Standard Webhooks headers of one delivery: one `v1,…` signature per secret, space-separated. */
export function signedHeaders(
  secrets: string[],
  messageId: string,
  sentAt: Date,
  body: string,
): { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string } {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(messageId, sentAt, body)).join(' '),
  };
}
