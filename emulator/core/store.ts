/**
 * In-memory state: one collection per kind of record, each a Map that keeps insertion order
 * (Stripe lists newest first, which is the reverse of that order). Collections report every
 * write to the store, which the snapshot writer listens to.
 */

export interface Identified {
  id: string;
}

export class Collection<T extends Identified> {
  private readonly records = new Map<string, T>();

  constructor(
    readonly name: string,
    private readonly changed: () => void,
  ) {}

  get size(): number {
    return this.records.size;
  }

  get(id: string): T | undefined {
    return this.records.get(id);
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  /** Inserts or replaces; a replaced record keeps its place in the order. */
  save(record: T): T {
    this.records.set(record.id, record);
    this.changed();
    return record;
  }

  delete(id: string): boolean {
    const deleted = this.records.delete(id);
    if (deleted) this.changed();
    return deleted;
  }

  /** Oldest first. */
  all(): T[] {
    return Array.from(this.records.values());
  }

  /** Stripe's list order. */
  newestFirst(): T[] {
    return this.all().reverse();
  }

  find(predicate: (record: T) => boolean): T | undefined {
    for (const record of this.records.values()) if (predicate(record)) return record;
    return undefined;
  }

  filter(predicate: (record: T) => boolean): T[] {
    const out: T[] = [];
    for (const record of this.records.values()) if (predicate(record)) out.push(record);
    return out;
  }

  clear(): void {
    this.records.clear();
  }

  /** For snapshots: records in insertion order. */
  entries(): T[] {
    return this.all();
  }

  load(records: T[]): void {
    this.records.clear();
    for (const record of records) this.records.set(record.id, record);
  }
}

export interface StoreSnapshot {
  version: 1;
  collections: Record<string, Identified[]>;
}

export class Store {
  private readonly collections = new Map<string, Collection<Identified>>();
  private readonly listeners = new Set<() => void>();
  private readonly notify = () => {
    for (const listener of this.listeners) listener();
  };

  /** The collection called `name`, created on first use. */
  collection<T extends Identified>(name: string): Collection<T> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new Collection<Identified>(name, this.notify);
      this.collections.set(name, collection);
    }
    return collection as unknown as Collection<T>;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reset(): void {
    for (const collection of this.collections.values()) collection.clear();
    this.notify();
  }

  /** Record counts per non-empty collection. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [name, collection] of this.collections)
      if (collection.size > 0) counts[name] = collection.size;
    return counts;
  }

  snapshot(): StoreSnapshot {
    const collections: Record<string, Identified[]> = {};
    for (const [name, collection] of this.collections) {
      if (collection.size > 0) collections[name] = collection.entries();
    }
    return { version: 1, collections };
  }

  restore(snapshot: StoreSnapshot): void {
    for (const collection of this.collections.values()) collection.clear();
    for (const [name, records] of Object.entries(snapshot.collections)) this.collection(name).load(records);
  }
}
