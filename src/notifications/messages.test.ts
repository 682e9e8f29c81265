import { describe, expect, it } from 'vitest';
import { formatAmount, renderNotification } from './messages.js';

describe('notification messages', () => {
  it('formats minor units with the currency’s own decimals', () => {
    expect(formatAmount(2000, 'usd')).toBe('$20.00');
    expect(formatAmount(1999, 'eur')).toBe('€19.99');
    expect(formatAmount(500, 'jpy')).toBe('¥500');
  });

  it('says when the next attempt is, or that there is none', () => {
    const data = { amount: 2000, currency: 'usd', hosted_invoice_url: 'https://pay.example/in_1' };
    const retrying = renderNotification(
      'payment_failed',
      { ...data, next_payment_attempt: '2026-02-04T01:00:00.000Z' },
      'Grace',
    );
    expect(retrying.subject).toBe('Your payment of $20.00 failed');
    expect(retrying.text).toContain('Hello Grace,');
    expect(retrying.text).toContain('We will try again on February 4, 2026.');
    expect(retrying.text).toContain('https://pay.example/in_1');
    const final = renderNotification('payment_failed', { ...data, next_payment_attempt: null }, null);
    expect(final.text).toContain('Hello,');
    expect(final.text).toContain('We will not retry it automatically.');
  });
});
