import type { paths } from './generated/api.gen.js';
import type { RecurEvents } from './generated/events.gen.js';

/** A user's entitlements as Recur answers them (GET /api/users/:id/entitlements). */
export type Entitlements =
  paths['/api/users/{externalId}/entitlements']['get']['responses'][200]['content']['application/json'];
export type BenefitValue = Entitlements['benefits'][string];

export interface EntitlementCacheOptions {
  /** Seconds a user's set is answered from memory before it is read again from Recur. Default 60. */
  ttlSeconds?: number;
  /**
   * Seconds after the TTL during which the last known set is still answered while Recur cannot be
   * reached. Default 300. After that a check is `unavailable` and obeys `onUnavailable`.
   */
  staleSeconds?: number;
  /** Users kept at most; the least recently stored is dropped first. Default 10,000. */
  maxUsers?: number;
  /** Seconds after a failed read before Recur is asked again (checks meanwhile answer at once). Default 5. */
  retryAfterFailureSeconds?: number;
  /** One read's time limit in ms while a check waits on it (one retry at most). Default 2,000. */
  readTimeoutMs?: number;
  /** The clock, in ms (tests). */
  now?: () => number;
}

export type UnavailablePolicy = 'allow' | 'deny';

export interface CheckOptions {
  /** What a check answers when Recur cannot be reached and no set is known (or it is too old). Default 'deny'. */
  onUnavailable?: UnavailablePolicy;
}

export interface EntitlementCheck {
  /** true for a flag that is on, a number above 0 or a non-empty text. */
  allowed: boolean;
  /** The benefit's value, or null when the user does not have it (or nothing is known). */
  value: BenefitValue | null;
  /**
   * `cache`: from memory, within the TTL; `recur`: just read from Recur; `stale`: the last known
   * set, past its TTL, because Recur could not be reached; `unavailable`: nothing usable was known,
   * `allowed` is the `onUnavailable` policy.
   */
  source: 'cache' | 'recur' | 'stale' | 'unavailable';
}

interface Entry {
  benefits: Entitlements['benefits'];
  /**
   * The sequence of the user's messages this set includes: a read's `sequence`, or the applied
   * message's. Both come from Recur's one counter per user, so they order reads and messages alike.
   */
  sequence: number;
  freshUntil: number;
  staleUntil: number;
}

export function isAllowed(value: BenefitValue | null | undefined): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value > 0;
  return typeof value === 'string' && value.length > 0;
}

/**
 * Entitlements in the app's own memory: kept current by `entitlements.updated` webhooks (a message
 * is applied only when its sequence is higher than that of the set held, whether the set came from
 * a message or from a read: Recur numbers both from one counter per user), read again
 * from Recur once the TTL has run out, and kept for a while when Recur is down.
 */
export class EntitlementCache {
  private readonly entries = new Map<string, Entry>();
  private readonly reads = new Map<string, Promise<Entry | null>>();
  private readonly ttl: number;
  private readonly stale: number;
  private readonly maxUsers: number;
  private readonly retryAfterFailure: number;
  private readonly now: () => number;
  private unreachableUntil = 0;

  constructor(
    private readonly read: (userId: string) => Promise<Entitlements>,
    options: EntitlementCacheOptions = {},
  ) {
    this.ttl = (options.ttlSeconds ?? 60) * 1000;
    this.stale = (options.staleSeconds ?? 300) * 1000;
    this.maxUsers = options.maxUsers ?? 10_000;
    this.retryAfterFailure = (options.retryAfterFailureSeconds ?? 5) * 1000;
    this.now = options.now ?? Date.now;
  }

  /** May the user use `key`? From memory when the user's set is fresh; otherwise read from Recur. */
  async check(userId: string, key: string, options: CheckOptions = {}): Promise<EntitlementCheck> {
    const now = this.now();
    const cached = this.entries.get(userId);
    if (cached && now < cached.freshUntil) return answer(cached, key, 'cache');
    const read = now < this.unreachableUntil ? null : await this.readOnce(userId);
    if (read) return answer(read, key, 'recur');
    const last = this.entries.get(userId);
    if (last && this.now() < last.staleUntil) return answer(last, key, 'stale');
    return { allowed: (options.onUnavailable ?? 'deny') === 'allow', value: null, source: 'unavailable' };
  }

  /** The benefits known for the user, fresh or not, without asking Recur; undefined when none. */
  peek(userId: string): Entitlements['benefits'] | undefined {
    return this.entries.get(userId)?.benefits;
  }

  /**
   * Applies an `entitlements.updated` message: true when it was newer than what the cache holds for
   * its subject, false when it was a late or repeated one (dropped).
   */
  apply(event: RecurEvents['entitlements.updated']): boolean {
    const userId = event.data.user_id;
    const known = this.entries.get(userId);
    if (known && event.sequence <= known.sequence) return false;
    this.store(userId, {
      benefits: event.data.entitlements.benefits,
      sequence: event.sequence,
      ...this.lifetime(),
    });
    return true;
  }

  /** Forgets a user (the next check reads from Recur). */
  forget(userId: string): void {
    this.entries.delete(userId);
  }

  private lifetime() {
    const freshUntil = this.now() + this.ttl;
    return { freshUntil, staleUntil: freshUntil + this.stale };
  }

  private store(userId: string, entry: Entry): void {
    this.entries.delete(userId);
    this.entries.set(userId, entry);
    if (this.entries.size > this.maxUsers) this.entries.delete(this.entries.keys().next().value!);
  }

  /** One read per user at a time: concurrent checks of an expired user share it. */
  private readOnce(userId: string): Promise<Entry | null> {
    let pending = this.reads.get(userId);
    if (!pending) {
      pending = this.readInto(userId).finally(() => this.reads.delete(userId));
      this.reads.set(userId, pending);
    }
    return pending;
  }

  private async readInto(userId: string): Promise<Entry | null> {
    let fetched: Entitlements;
    try {
      fetched = await this.read(userId);
    } catch {
      this.unreachableUntil = this.now() + this.retryAfterFailure;
      return null;
    }
    const current = this.entries.get(userId);
    // A message newer than the read was applied while it was under way: it is the later word.
    if (current && current.sequence > fetched.sequence) return current;
    const entry: Entry = { benefits: fetched.benefits, sequence: fetched.sequence, ...this.lifetime() };
    this.store(userId, entry);
    return entry;
  }
}

function answer(entry: Entry, key: string, source: EntitlementCheck['source']): EntitlementCheck {
  const value = entry.benefits[key] ?? null;
  return { allowed: isAllowed(value), value, source };
}
