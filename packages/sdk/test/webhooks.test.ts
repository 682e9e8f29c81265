import { describe, expect, it } from 'vitest';
import { Recur, RecurWebhookError, RecurWebhooks } from '../src/index.js';
import { entitlementsUpdated, newSecret, signed } from './support/events.js';

const secret = newSecret();
const webhooks = new RecurWebhooks(secret);
const event = entitlementsUpdated('user_1', 1, { api_access: true });

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RecurWebhookError);
    return (error as RecurWebhookError).reason;
  }
  throw new Error('the delivery was accepted');
};

describe('webhooks.verify', () => {
  it('accepts a delivery signed by the standardwebhooks package and returns the typed event', () => {
    const { body, headers } = signed(event, [secret]);
    const verified = webhooks.verify(body, headers);
    expect(verified).toEqual(event);
    if (verified.type !== 'entitlements.updated') throw new Error('narrowing by type');
    expect(verified.data.entitlements.benefits.api_access).toBe(true);
    // The bytes as received, and headers as the Fetch API or Node name them, verify alike.
    expect(webhooks.verify(new TextEncoder().encode(body), new Headers(headers))).toEqual(event);
    const nodeStyle = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]),
    );
    expect(webhooks.verify(body, nodeStyle)).toEqual(event);
  });

  it('refuses a tampered body, a foreign secret and a missing header', () => {
    const { body, headers } = signed(event, [secret]);
    expect(refusal(() => webhooks.verify(body.replace('true', 'false'), headers))).toBe('invalid_signature');
    expect(refusal(() => webhooks.verify(body, signed(event, [newSecret()]).headers))).toBe(
      'invalid_signature',
    );
    const { 'webhook-signature': _, ...unsigned } = headers;
    expect(refusal(() => webhooks.verify(body, unsigned))).toBe('missing_headers');
  });

  it('refuses a timestamp more than five minutes old or ahead, even correctly signed', () => {
    const old = signed(event, [secret], new Date(Date.now() - 6 * 60_000));
    expect(refusal(() => webhooks.verify(old.body, old.headers))).toBe('stale_timestamp');
    const ahead = signed(event, [secret], new Date(Date.now() + 6 * 60_000));
    expect(refusal(() => webhooks.verify(ahead.body, ahead.headers))).toBe('stale_timestamp');
    const recent = signed(event, [secret], new Date(Date.now() - 4 * 60_000));
    expect(webhooks.verify(recent.body, recent.headers)).toEqual(event);
  });

  it('during a rotation: a delivery signed with both secrets passes either receiver; one with either secret passes a receiver given both', () => {
    const next = newSecret();
    const both = signed(event, [secret, next]);
    expect(new RecurWebhooks(next).verify(both.body, both.headers)).toEqual(event);
    expect(new RecurWebhooks(secret).verify(both.body, both.headers)).toEqual(event);
    const receiver = new RecurWebhooks([next, secret]);
    for (const one of [secret, next]) {
      const delivery = signed(event, [one]);
      expect(receiver.verify(delivery.body, delivery.headers)).toEqual(event);
    }
    // After the overlap the old secret is dropped and its signatures no longer pass.
    const late = signed(event, [secret]);
    expect(refusal(() => new RecurWebhooks(next).verify(late.body, late.headers))).toBe('invalid_signature');
  });

  it('refuses a signed body that is not a Recur event', () => {
    const notJson = signed('not json', [secret]);
    expect(refusal(() => webhooks.verify(notJson.body, notJson.headers))).toBe('invalid_payload');
    const odd = signed({ hello: 'world' }, [secret]);
    expect(refusal(() => webhooks.verify(odd.body, odd.headers))).toBe('invalid_payload');
  });

  it('handle() applies entitlements.updated to the in-process cache', async () => {
    const recur = new Recur({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'rk_x',
      webhookSecret: secret,
      retries: 0,
    });
    const { body, headers } = signed(event, [secret]);
    expect(recur.webhooks.handle(body, headers).type).toBe('entitlements.updated');
    expect(await recur.entitlements.check('user_1', 'api_access')).toEqual({
      allowed: true,
      value: true,
      source: 'cache',
    });
  });
});
