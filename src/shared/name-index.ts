import type { PiiCipher } from './crypto.js';

/** Prefixes shorter than this are neither indexed nor searched: one letter says too much, finds too many. */
export const NAME_PREFIX_MIN = 2;
/** Longer prefixes are not indexed: a longer search term is looked up by its first this many characters. */
export const NAME_PREFIX_MAX = 24;

/** A name as it is indexed and searched: Unicode-normalised, lower case, single spaces, no accents. */
export function normalizeName(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/**
 * The prefixes a name is found by, lengths NAME_PREFIX_MIN..NAME_PREFIX_MAX: of the whole name (so
 * "ann le" finds Ann Lee) and of each later word ("lee"). Distinct, in no particular order.
 */
export function namePrefixes(name: string): string[] {
  const whole = normalizeName(name);
  const starts = [0, ...[...whole.matchAll(/ /g)].map((m) => m.index + 1)];
  const out = new Set<string>();
  for (const start of starts) {
    const rest = whole.slice(start);
    for (let n = NAME_PREFIX_MIN; n <= Math.min(NAME_PREFIX_MAX, rest.length); n++) {
      const prefix = rest.slice(0, n);
      if (!prefix.endsWith(' ')) out.add(prefix);
    }
  }
  return [...out];
}

/** The keyed hashes of a name's prefixes, as stored in `customers.name_prefixes`; null without a name. */
export function nameIndex(cipher: PiiCipher, name: string | null | undefined): string[] | null {
  if (!name) return null;
  const hashes = namePrefixes(name).map((p) => cipher.namePrefixHash(p));
  return hashes.length ? hashes.sort() : null;
}

/** The one hash a search term is looked up by, or null when the term is too short to search. */
export function nameSearchHash(cipher: PiiCipher, term: string): string | null {
  const t = normalizeName(term).slice(0, NAME_PREFIX_MAX);
  return t.length < NAME_PREFIX_MIN ? null : cipher.namePrefixHash(t);
}
