// Browsing the audit log: an ISP's own entries (/api/v1/audit, audit.read) and the whole
// platform's (/api/v1/platform/audit, platform_audit.read). Newest first, cursor-paginated.
import { pageResponseSchema } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDependencies, AppEnv } from '../dependencies';
import { accountScopeOf, type ScopeKind } from '../identity/scope';
import { requirePermission } from '../middleware/require-permission';
import { decodeCursor, pageOf, pageQuerySchema } from '../pagination';
import { parseQuery } from '../validation';
import { registerApiOperations } from './openapi';

/** A date filter: epoch milliseconds or an ISO-8601 date/time. */
const instantSchema = z.union([
  z.coerce.number().int().nonnegative(),
  z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
  z.iso.date().transform((text) => Date.parse(text)),
]);

export const auditQuerySchema = pageQuerySchema.extend({
  /** Exact action (`user.create`) or a prefix ending in a dot (`user.`). */
  action: z.string().max(64).optional(),
  actorId: z.string().max(64).optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  /** Platform view only: narrow to one ISP. */
  tenantId: z.string().max(64).optional(),
});

const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.number().int(),
  actorId: z.string().nullable(),
  tenantId: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.unknown(),
  sourceAddress: z.string().nullable(),
});

registerApiOperations(
  (['isp', 'platform'] as const).map((scope) => ({
    method: 'get' as const,
    path: scope === 'isp' ? '/api/v1/audit' : '/api/v1/platform/audit',
    summary:
      scope === 'isp'
        ? "The ISP's audit log, newest first (who, what, when, from where)"
        : "The whole platform's audit log, newest first (filter by tenantId)",
    tag: scope === 'isp' ? 'audit' : 'platform',
    permission: scope === 'isp' ? 'audit.read' : 'platform_audit.read',
    query: auditQuerySchema,
    response: pageResponseSchema(auditEntrySchema),
  })),
);

interface AuditRow {
  id: number;
  at: number;
  actorId: string | null;
  tenantId: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  sourceAddress: string | null;
}

function parseDetail(detail: string | null): unknown {
  if (detail === null) return null;
  try {
    return JSON.parse(detail);
  } catch {
    return detail;
  }
}

export function auditRoutes(dependencies: ApiDependencies, scopeKind: ScopeKind): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use('*', requirePermission(scopeKind === 'isp' ? 'audit.read' : 'platform_audit.read'));
  routes.get('/', (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const query = parseQuery(context, auditQuerySchema);
    const tenantFilter = scope.kind === 'isp' ? scope.tenantId : (query.tenantId ?? null);
    const cursor = decodeCursor(query.cursor);
    const action = query.action ?? null;
    const isPrefix = action?.endsWith('.') ?? false;
    const rows = dependencies.platform.sqlite
      .prepare(
        `SELECT id, at, actor_id AS actorId, tenant_id AS tenantId, action, target, detail,
                source_address AS sourceAddress
           FROM audit_log
          WHERE (? IS NULL OR tenant_id = ?)
            AND (? IS NULL OR (CASE WHEN ? THEN substr(action, 1, length(?)) = ? ELSE action = ? END))
            AND (? IS NULL OR actor_id = ?)
            AND (? IS NULL OR at >= ?) AND (? IS NULL OR at < ?)
            AND (? IS NULL OR id < ?)
          ORDER BY id DESC LIMIT ?`,
      )
      .all(
        tenantFilter,
        tenantFilter,
        action,
        isPrefix ? 1 : 0,
        action,
        action,
        action,
        query.actorId ?? null,
        query.actorId ?? null,
        query.from ?? null,
        query.from ?? null,
        query.to ?? null,
        query.to ?? null,
        cursor === null ? null : Number(cursor),
        cursor === null ? null : Number(cursor),
        query.limit + 1,
      ) as AuditRow[];
    const entries = rows.map((row) => ({ ...row, detail: parseDetail(row.detail) }));
    return context.json(pageOf(entries, query.limit, (entry) => String(entry.id)));
  });
  return routes;
}
