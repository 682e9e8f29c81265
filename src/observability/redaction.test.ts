import { describe, expect, it } from 'vitest';
import { MAX_LOGGED_CHARS, scrubPatterns, scrubText, scrubUrl, scrubValue } from './redaction.js';

/** Milliseconds one call takes (the best of three, so that a busy machine's pause is not counted). */
function timeOf(run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const N = 100_000;

/*
 * The worst inputs for each pattern: runs that almost match and fail at the very end, repeated so
 * that a pattern which restarts at every character would scan the rest of the input each time.
 * Quadratic patterns take seconds on these (the email pattern took 16 s on 'A' × 100000); linear
 * ones a few milliseconds. The bound is wide enough for a loaded machine.
 */
const adversarial: Array<[string, string]> = [
  ['letters', 'A'.repeat(N)],
  ['local parts without an @', 'a.'.repeat(N / 2)],
  ['an @ before dotted labels without a top-level domain', `a@${'a.1'.repeat(N / 3)}`],
  ['many @', 'a@'.repeat(N / 2)],
  ['JWT-like runs without dots', 'eyJ-'.repeat(N / 4)],
  ['JWT-like with one dot', `eyJa.${'b'.repeat(N)}`],
  ['digits', '1'.repeat(N)],
  ['spaced digits', '1 '.repeat(N / 2)],
  ['dashed digits', '12-'.repeat(N / 3)],
  ['Bearer and blanks', `Bearer${' '.repeat(N)}`],
  ['Bearer repeated', 'Bearer '.repeat(N / 7)],
  ['key prefixes', 'sk_test_'.repeat(N / 8)],
  ['whsec prefixes', 'whsec_'.repeat(N / 6)],
];

describe('log redaction stays linear and bounded', () => {
  it.each(adversarial)('patterns over 100 kB of %s take milliseconds', (_name, input) => {
    expect(timeOf(() => scrubPatterns(input))).toBeLessThan(250);
  });

  it("scrubs 'A' × 100000 in milliseconds and writes at most the cap", () => {
    const input = 'A'.repeat(N);
    expect(timeOf(() => scrubText(input))).toBeLessThan(50);
    const out = scrubText(input);
    expect(out.length).toBeLessThan(MAX_LOGGED_CHARS + 40);
    expect(out).toMatch(/…\[97952 more chars\]$/);
  });

  it('bounds nested values in depth and width', () => {
    let deep: Record<string, unknown> = { leaf: 'x' };
    for (let i = 0; i < 1000; i++) deep = { deep };
    const wide = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 'v']));
    const start = performance.now();
    const out = JSON.stringify(scrubValue({ deep, wide, list: Array.from({ length: 10_000 }, () => 'x') }));
    expect(performance.now() - start).toBeLessThan(250);
    expect(out.length).toBeLessThan(5_000);
    expect(out).toContain('[nested too deep]');
    expect(out).toContain('more keys left out');
    expect(out).toContain('[9980 more items]');
  });

  it('still finds what it must at the edges of the patterns', () => {
    expect(scrubPatterns('mailto:ana.b+x@mail.example.co.uk, then')).toBe('mailto:[email redacted], then');
    expect(scrubPatterns('card 4242 4242 4242 4242.')).toBe('card [card redacted].');
    expect(scrubPatterns('card 4000-0000-0000-0002')).toBe('card [card redacted]');
    expect(scrubPatterns('Authorization: bearer abc.def')).toBe('Authorization: Bearer [redacted]');
    expect(scrubPatterns('t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig;')).toBe('t=[jwt redacted];');
    expect(scrubPatterns('(sk_live_abc123)')).toBe('(sk_live_[redacted])');
    expect(scrubPatterns('a 25-digit id 1234567890123456789012345 stays')).toBe(
      'a 25-digit id 1234567890123456789012345 stays',
    );
  });

  it('drops query values under secret names and scrubs the rest of a URL', () => {
    expect(scrubUrl('/api/customers?email=ana%40example.com&limit=5')).toBe(
      '/api/customers?email=[redacted]&limit=5',
    );
    expect(scrubUrl('/billing?t=eyJa.eyJb.c&q=bob@example.org')).toBe(
      '/billing?t=[jwt redacted]&q=[email redacted]',
    );
    expect(scrubUrl(`/x?q=${'A'.repeat(N)}`).length).toBeLessThan(MAX_LOGGED_CHARS + 40);
  });
});
