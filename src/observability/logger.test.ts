import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubText } from './logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

describe('logger redaction', () => {
  it('never writes keys, tokens, emails or card numbers', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer rk_abcdefghijklmnopqrstuvwxyz' } },
        customer: { email: 'ana@example.com', note: 'write to ana@example.com' },
        detail: 'card 4242 4242 4242 4242 and key sk_test_51Habc and whsec_abc123',
        token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
      },
      'paying with 4000-0000-0000-0002 for bob@example.org',
    );
    const out = lines.join('');
    for (const secret of [
      'rk_abcdefghij',
      'ana@example.com',
      '4242 4242',
      'sk_test_51Habc',
      'whsec_abc123',
      'eyJhbGci',
      '4000-0000',
      'bob@example.org',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
    expect(JSON.parse(out).msg).toBe('paying with [card redacted] for [email redacted]');
  });

  it('leaves ordinary numbers and ids alone', () => {
    expect(scrubText('plan_123 costs 1999 cents, request req_abc, 2026-11-21')).toBe(
      'plan_123 costs 1999 cents, request req_abc, 2026-11-21',
    );
  });
});
