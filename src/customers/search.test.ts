import { describe, expect, it } from 'vitest';
import { matchesSearch } from './search.js';

describe('customer search terms', () => {
  const ann = { email: 'ann.lee@Example.com', name: 'Ann Lee' };

  it('match the start of the address, of its domain, or of a word of the name, in any case', () => {
    for (const term of [
      'ann',
      'ANN.L',
      'ann.lee@example.com',
      'example',
      '@exam',
      'example.com',
      'lee',
      'Le',
    ])
      expect(matchesSearch(term, ann), term).toBe(true);
  });

  it('do not match the middle of a word, nor another customer', () => {
    for (const term of ['nn', 'xample', 'lee@', 'ample.com', 'bob'])
      expect(matchesSearch(term, ann), term).toBe(false);
    expect(matchesSearch('ann', { email: null, name: null })).toBe(false);
  });
});
