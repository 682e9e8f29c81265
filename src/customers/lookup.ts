import type { Db } from '../db/client.js';
import type { PiiCipher } from '../shared/crypto.js';
import { nameSearchHash, normalizeName } from '../shared/name-index.js';
import {
  type CustomerHitRow,
  lookupRepository as repo,
  SEARCH_RESULTS,
  STRIPE_ID_PREFIXES,
} from './lookup-repository.js';

/** How a hit matched what the admin typed. */
export type SearchMatch = 'stripe_id' | 'email' | 'external_id' | 'organization_id' | 'name_prefix';

/** One thing a search found: the object (a customer, or another Stripe object) and whose it is. */
export interface SearchHit {
  /** `customer`, `subscription`, `invoice`, `payment_intent`, `charge`, `refund`, `dispute`, `event`, … */
  kind: string;
  id: string;
  matched: SearchMatch;
  customer_id: string | null;
  /** The customer's name and email, decrypted (admins only), null when unknown or erased. */
  customer_name: string | null;
  customer_email: string | null;
  external_id: string | null;
  organization_id: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const STRIPE_ID = new RegExp(`^(${STRIPE_ID_PREFIXES.join('|')})_[A-Za-z0-9]+$`);

/** Whether `name` starts with `term`, or a later word of it does, both normalised. */
export function nameStartsWith(name: string, term: string): boolean {
  const n = normalizeName(name);
  const t = normalizeName(term);
  return n.startsWith(t) || n.includes(` ${t}`);
}

/**
 * The console's global search. A Stripe id resolves to its object and customer; an email is looked
 * up by its keyed hash; anything else is tried as the host app's user or organisation id and as
 * the start of a name, through the name index (keyed prefix hashes). Every candidate the index
 * offers is confirmed against the decrypted name, so a long term (indexed by its first characters
 * only) matches exactly.
 */
export class CustomerLookup {
  constructor(private readonly deps: { db: Db; cipher: PiiCipher }) {}

  async search(rawTerm: string): Promise<SearchHit[]> {
    const term = rawTerm.trim();
    const { db, cipher } = this.deps;
    const id = STRIPE_ID.exec(term);
    if (id) return this.byStripeId(id[1]!, term);
    if (EMAIL.test(term)) return this.hits(await repo.byEmailHash(db, cipher.emailHash(term)), () => 'email');
    const byApp = await repo.byAppId(db, term);
    const found = this.hits(byApp, (row) => (row.external_id === term ? 'external_id' : 'organization_id'));
    const hash = nameSearchHash(cipher, term);
    if (hash) {
      const seen = new Set(found.map((hit) => hit.id));
      const candidates = await repo.byNamePrefix(db, hash, SEARCH_RESULTS * 2);
      const named = candidates.filter(
        (row) =>
          !seen.has(row.id) && row.name_encrypted && nameStartsWith(cipher.decrypt(row.name_encrypted), term),
      );
      found.push(...this.hits(named, () => 'name_prefix'));
    }
    return found.slice(0, SEARCH_RESULTS);
  }

  private async byStripeId(prefix: string, id: string): Promise<SearchHit[]> {
    const { db } = this.deps;
    if (prefix === 'cus') return this.hits(await repo.customersByIds(db, [id]), () => 'stripe_id');
    if (prefix === 'evt') {
      const event = await repo.event(db, id);
      if (!event) return [];
      const about = event.object_id ? await this.ownerOf(event.object_id) : null;
      return [await this.hit('event', event.id, about)];
    }
    const object = await repo.owned(db, prefix, id);
    return object ? [await this.hit(object.kind, id, object.customerId)] : [];
  }

  /** The customer an object id belongs to (itself for a customer). */
  private async ownerOf(objectId: string): Promise<string | null> {
    if (objectId.startsWith('cus_')) return objectId;
    const prefix = objectId.slice(0, objectId.indexOf('_'));
    return (await repo.owned(this.deps.db, prefix, objectId))?.customerId ?? null;
  }

  private async hit(kind: string, id: string, customerId: string | null): Promise<SearchHit> {
    const [row] = customerId ? await repo.customersByIds(this.deps.db, [customerId]) : [];
    return { kind, id, matched: 'stripe_id', ...this.contact(row ?? null, customerId) };
  }

  private hits(rows: CustomerHitRow[], matched: (row: CustomerHitRow) => SearchMatch): SearchHit[] {
    return rows.map((row) => ({
      kind: 'customer',
      id: row.id,
      matched: matched(row),
      ...this.contact(row, row.id),
    }));
  }

  private contact(row: CustomerHitRow | null, customerId: string | null) {
    const open = (sealed: string | null | undefined) => (sealed ? this.deps.cipher.decrypt(sealed) : null);
    return {
      customer_id: customerId,
      customer_name: open(row?.name_encrypted),
      customer_email: open(row?.email_encrypted),
      external_id: row?.external_id ?? null,
      organization_id: row?.organization_id ?? null,
    };
  }
}
