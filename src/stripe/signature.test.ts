import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signStripePayload, verifyStripeSignature } from './signature.js';

const payload = JSON.stringify({
  id: 'evt_1',
  object: 'event',
  type: 'customer.created',
  created: 1,
  data: { object: { id: 'cus_1' } },
});

describe('verifyStripeSignature', () => {
  it('accepts a valid signature under any of the rotating secrets', () => {
    const header = signStripePayload(payload, 'whsec_new');
    const result = verifyStripeSignature(Buffer.from(payload), header, ['whsec_old', 'whsec_new']);
    expect(result.ok && result.event.id).toBe('evt_1');
  });

  it('refuses a wrong secret, a changed body, a stale timestamp and a missing header', () => {
    const header = signStripePayload(payload, 'whsec_a');
    expect(verifyStripeSignature(Buffer.from(payload), header, ['whsec_b'])).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
    expect(
      verifyStripeSignature(Buffer.from(payload.replace('cus_1', 'cus_2')), header, ['whsec_a']).ok,
    ).toBe(false);
    const stale = signStripePayload(payload, 'whsec_a', Math.floor(Date.now() / 1000) - 301);
    expect(verifyStripeSignature(Buffer.from(payload), stale, ['whsec_a'])).toEqual({
      ok: false,
      reason: 'timestamp outside the 300 s tolerance',
    });
    expect(verifyStripeSignature(Buffer.from(payload), undefined, ['whsec_a'])).toEqual({
      ok: false,
      reason: 'missing Stripe-Signature header',
    });
    expect(verifyStripeSignature(Buffer.from(payload), 'garbage', ['whsec_a']).ok).toBe(false);
  });

  it('refuses a signature dated beyond a minute ahead of our clock, and accepts a little skew', () => {
    const now = Math.floor(Date.now() / 1000);
    const ahead = signStripePayload(payload, 'whsec_a', now + 3600);
    expect(verifyStripeSignature(Buffer.from(payload), ahead, ['whsec_a'])).toEqual({
      ok: false,
      reason: 'timestamp in the future',
    });
    expect(
      verifyStripeSignature(Buffer.from(payload), signStripePayload(payload, 'whsec_a', now + 90), [
        'whsec_a',
      ]).ok,
    ).toBe(false);
    expect(
      verifyStripeSignature(Buffer.from(payload), signStripePayload(payload, 'whsec_a', now + 20), [
        'whsec_a',
      ]).ok,
    ).toBe(true);
  });

  it('accepts a header carrying several v1 signatures and other schemes, when one v1 matches', () => {
    const t = Math.floor(Date.now() / 1000);
    const hmac = (secret: string) => createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex');
    const header = `t=${t},v0=${hmac('whsec_a')},v1=${hmac('whsec_other')},v1=${hmac('whsec_a')}`;
    expect(verifyStripeSignature(Buffer.from(payload), header, ['whsec_a']).ok).toBe(true);
    // Only v1 counts: the same signature under v0 alone is refused.
    expect(verifyStripeSignature(Buffer.from(payload), `t=${t},v0=${hmac('whsec_a')}`, ['whsec_a']).ok).toBe(
      false,
    );
  });

  it('refuses a correctly signed body that is not a JSON object, as no event', () => {
    for (const body of ['{"id": "evt_1", ', 'null', '42', '[1,2]']) {
      const header = signStripePayload(body, 'whsec_a');
      expect(verifyStripeSignature(Buffer.from(body), header, ['whsec_a']), body).toEqual({
        ok: false,
        reason: 'body is not a JSON event',
      });
    }
  });
});
