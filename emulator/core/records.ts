/** Small helpers every resource module needs. */
import type Stripe from 'stripe';
import { resourceMissing } from './errors.js';
import type { Collection, Identified } from './store.js';

/** The record, or Stripe's 404 "No such <noun>: '<id>'". */
export function mustGet<T extends Identified>(
  collection: Collection<T>,
  id: string,
  noun: string,
  param = 'id',
): T {
  const record = collection.get(id);
  if (!record) throw resourceMissing(noun, id, param);
  return record;
}

/** Metadata as parameters carry it (validated values are always strings). */
export type MetadataUpdate = Record<string, string | number | null>;

/**
 * Stripe's metadata update: keys are merged in; a key set to '' is removed; `metadata=''`
 * (null here) clears the whole hash.
 */
export function mergeMetadata(
  current: Stripe.Metadata | null,
  update: MetadataUpdate | null | undefined,
): Stripe.Metadata {
  if (update === undefined) return current ?? {};
  if (update === null) return {};
  const merged: Stripe.Metadata = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === '' || value === null) delete merged[key];
    else merged[key] = String(value);
  }
  return merged;
}

/** Metadata given at creation: empty values are simply left out. */
export function initialMetadata(given: MetadataUpdate | null | undefined): Stripe.Metadata {
  return mergeMetadata({}, given ?? {});
}

export function deletedObject<O extends string>(
  id: string,
  object: O,
): { id: string; object: O; deleted: true } {
  return { id, object, deleted: true };
}
