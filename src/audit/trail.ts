import { Readable } from 'node:stream';
import type { Db } from '../db/client.js';
import type { Cursor } from '../http/pagination.js';
import { type Cell, csvLine } from '../reports/csv.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import { asSystem } from './context.js';
import { recordAudit } from './record.js';
import { type AuditFilter, type AuditRow, auditRepository as repo } from './repository.js';

export interface AuditRowView {
  id: string;
  at: string;
  actor: {
    type: 'api_key' | 'user' | 'system';
    id: string | null;
    role: string | null;
    cause: string | null;
  };
  action: string;
  object_type: string;
  object_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  outcome: 'succeeded' | 'failed';
  error: string | null;
  request_id: string | null;
  client_address: string | null;
  hash: string;
}

export function toAuditView(row: AuditRow): AuditRowView {
  const changes = row.changes as {
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  };
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: { type: row.actorType, id: row.actorId, role: row.actorRole, cause: row.cause },
    action: row.action,
    object_type: row.objectType,
    object_id: row.objectId,
    before: changes.before ?? null,
    after: changes.after ?? null,
    outcome: row.outcome,
    error: row.error,
    request_id: row.requestId,
    client_address: row.clientAddress,
    hash: row.hash,
  };
}

export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'actor_type',
  'actor_id',
  'actor_role',
  'cause',
  'action',
  'object_type',
  'object_id',
  'before',
  'after',
  'outcome',
  'error',
  'request_id',
  'client_address',
  'prev_hash',
  'hash',
] as const;

function csvCells(row: AuditRow): Cell[] {
  const changes = row.changes as { before: unknown; after: unknown };
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  return [
    row.id,
    row.at.toISOString(),
    row.actorType,
    row.actorId,
    row.actorRole,
    row.cause,
    row.action,
    row.objectType,
    row.objectId,
    json(changes.before),
    json(changes.after),
    row.outcome,
    row.error,
    row.requestId,
    row.clientAddress,
    row.prevHash,
    row.hash,
  ];
}

const EXPORT_BATCH = 500;
const DAY_MS = 86_400_000;

/** Reading the audit trail, exporting it, and pruning it past its retention. */
export class AuditTrail {
  constructor(private readonly deps: { db: Db }) {}

  /** Newest first. */
  async list(filter: AuditFilter, page: { limit: number; after?: Cursor | undefined }) {
    return repo.list(this.deps.db, filter, { limit: page.limit, beforeId: page.after?.id });
  }

  /**
   * The rows matching `filter`, oldest first, as CSV read a batch at a time while the answer is
   * sent: an export of the whole trail holds one batch in memory, not the trail.
   */
  exportCsv(filter: AuditFilter): Readable {
    const { db } = this.deps;
    async function* lines() {
      yield csvLine([...AUDIT_CSV_COLUMNS]);
      let afterSeq = 0;
      for (;;) {
        const batch = await repo.batchFrom(db, afterSeq, EXPORT_BATCH, filter);
        for (const row of batch) yield csvLine(csvCells(row));
        if (batch.length < EXPORT_BATCH) return;
        afterSeq = batch.at(-1)!.seq;
      }
    }
    return Readable.from(lines());
  }

  /**
   * Removes the rows older than `days`, leaving the anchor `recur audit verify` starts from, and
   * records the prune itself (as the first row of what remains, or after it).
   */
  async prune(days: number, now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    return asSystem('audit_retention', () =>
      this.deps.db.transaction(async (tx) => {
        const removed = await repo.pruneBefore(tx, cutoff);
        if (removed > 0)
          await recordAudit(tx, {
            action: 'audit.prune',
            objectType: 'audit_log',
            objectId: null,
            after: { retention_days: days, removed_before: cutoff, rows_removed: removed },
          });
        return removed;
      }),
    );
  }
}

/** How often the audit trail is pruned past its retention (rows go by the day: hourly is plenty). */
const RETENTION_EVERY_MS = 3_600_000;

/** Prunes the trail every hour to the retention the settings hold then (null: keep every row). */
export function auditRetentionTask(
  trail: AuditTrail,
  retentionDays: () => Promise<number | null>,
): PeriodicTask<number> {
  return new PeriodicTask(async () => {
    const days = await retentionDays();
    return days === null ? 0 : trail.prune(days);
  }, RETENTION_EVERY_MS);
}
