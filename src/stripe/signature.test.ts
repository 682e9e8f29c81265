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
});
