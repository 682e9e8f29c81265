import { createHash } from 'node:crypto';

/** The `prev_hash` of the first row ever written (before any prune left an anchor). */
export const GENESIS_HASH = '0'.repeat(64);

/** What a row's hash covers: every column but `seq` (a database counter) and `hash` itself. */
export interface ChainedContent {
  id: string;
  at: Date;
  actorType: string;
  actorId: string | null;
  actorRole: string | null;
  cause: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  changes: unknown;
  outcome: string;
  error: string | null;
  requestId: string | null;
  clientAddress: string | null;
  prevHash: string;
}

/**
 * JSON with object keys sorted at every depth: the database's jsonb keeps its own key order, so
 * the text hashed when a row is written and when it is read back must not depend on it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 over the canonical content, the previous row's hash included. */
export function rowHash(row: ChainedContent): string {
  const { at, ...rest } = row;
  return createHash('sha256')
    .update(canonicalJson({ ...rest, at: at.toISOString() }))
    .digest('hex');
}
