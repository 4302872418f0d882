// Reading the platform database's audit log (kernel/audit.ts writes it): filters, newest first.
import type { SqlDatabase } from '@kiunga/schemas';
import { equals, whereAll } from '../../kernel/listing';
import { decodeCursor, type Page, pageOf } from '../../kernel/pagination';

export interface AuditLogEntry {
  id: number;
  at: number;
  actorId: string | null;
  tenantId: string | null;
  action: string;
  target: string | null;
  detail: unknown;
  sourceAddress: string | null;
}

export interface AuditFilter {
  tenantId?: string | undefined;
  /** Exact action (`user.create`) or a prefix ending in a dot (`user.`). */
  action?: string | undefined;
  actorId?: string | undefined;
  /** Epoch milliseconds, from inclusive, to exclusive. */
  from?: number | undefined;
  to?: number | undefined;
  /** The cursor: entries older (smaller id) than this one. */
  beforeId: string | null;
  limit: number;
}

interface AuditRow extends Omit<AuditLogEntry, 'detail'> {
  detail: string | null;
}

function parseDetail(detail: string | null): unknown {
  if (detail === null) return null;
  try {
    return JSON.parse(detail);
  } catch {
    return detail;
  }
}

/** One page (limit + 1 entries, for the cursor), newest first, details parsed back from JSON. */
export async function listAuditEntries(database: SqlDatabase, filter: AuditFilter): Promise<AuditLogEntry[]> {
  const action = filter.action;
  // `billing.` names every action of that family; anything else one action.
  const actionCondition =
    action === undefined
      ? undefined
      : action.endsWith('.')
        ? { sql: 'substr(action, 1, ?) = ?', params: [action.length, action] }
        : { sql: 'action = ?', params: [action] };
  const where = whereAll([
    equals('tenant_id', filter.tenantId),
    actionCondition,
    equals('actor_id', filter.actorId),
    filter.from === undefined ? undefined : { sql: 'at >= ?', params: [filter.from] },
    filter.to === undefined ? undefined : { sql: 'at < ?', params: [filter.to] },
    filter.beforeId === null ? undefined : { sql: 'id < ?', params: [Number(filter.beforeId)] },
  ]);
  const rows = await database.all<AuditRow>(
    `SELECT id, at, actor_id AS "actorId", tenant_id AS "tenantId", action, target, detail,
            source_address AS "sourceAddress"
       FROM audit_log${where.sql}
      ORDER BY id DESC LIMIT ?`,
    [...where.params, filter.limit + 1],
  );
  return rows.map((row) => ({ ...row, detail: parseDetail(row.detail) }));
}

/** One page of the log for a reader: `tenantId` null reads every ISP's entries (the platform view). */
export async function auditLogPage(
  database: SqlDatabase,
  filter: Omit<AuditFilter, 'beforeId'> & { cursor?: string | undefined },
): Promise<Page<AuditLogEntry>> {
  const { cursor, ...rest } = filter;
  const entries = await listAuditEntries(database, { ...rest, beforeId: decodeCursor(cursor) });
  return pageOf(entries, filter.limit, (entry) => String(entry.id));
}
