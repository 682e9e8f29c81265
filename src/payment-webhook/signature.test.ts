import { describe, expect, it } from 'vitest';
import { paymentSignatureMatches, signPaymentNotice } from './signature.js';

const secret = 'a-payment-webhook-secret-of-24+';
const body = Buffer.from('{"subscription_id":"sub_ext_1","event":"payment_success"}');

describe('payment notice signatures', () => {
  it('accepts the HMAC of the exact body under the secret', () => {
    expect(paymentSignatureMatches(body, signPaymentNotice(body, secret), secret)).toBe(true);
    expect(
      paymentSignatureMatches(
        body,
        signPaymentNotice(body, secret).toUpperCase().replace('SHA256', 'sha256'),
        secret,
      ),
    ).toBe(true);
  });

  it('refuses another secret, a changed body, a bare or truncated digest and garbage', () => {
    const header = signPaymentNotice(body, secret);
    expect(paymentSignatureMatches(body, signPaymentNotice(body, `${secret}x`), secret)).toBe(false);
    expect(paymentSignatureMatches(Buffer.concat([body, Buffer.from(' ')]), header, secret)).toBe(false);
    expect(paymentSignatureMatches(body, header.slice('sha256='.length), secret)).toBe(false);
    expect(paymentSignatureMatches(body, header.slice(0, -2), secret)).toBe(false);
    expect(paymentSignatureMatches(body, 'sha256=zz', secret)).toBe(false);
  });
});
