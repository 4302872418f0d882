// Browsing the audit log: an ISP's own entries (/api/v1/audit, audit.read) and the whole
// platform's (/api/v1/platform/audit, platform_audit.read). Newest first, cursor-paginated.
import { pageResponseSchema } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import { accountScopeOf, type ScopeKind } from '../../identity/scope';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { equals, whereAll } from '../../kernel/listing';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { decodeCursor, pageOf, pageQuerySchema } from '../../kernel/pagination';
import { parseQuery } from '../../kernel/validation';

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
  routes.get('/', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const query = parseQuery(context, auditQuerySchema);
    const tenantFilter = scope.kind === 'isp' ? scope.tenantId : query.tenantId;
    const cursor = decodeCursor(query.cursor);
    const action = query.action;
    // `billing.` names every action of that family; anything else one action.
    const actionCondition =
      action === undefined
        ? undefined
        : action.endsWith('.')
          ? { sql: 'substr(action, 1, ?) = ?', params: [action.length, action] }
          : { sql: 'action = ?', params: [action] };
    const where = whereAll([
      equals('tenant_id', tenantFilter ?? undefined),
      actionCondition,
      equals('actor_id', query.actorId),
      query.from === undefined ? undefined : { sql: 'at >= ?', params: [query.from] },
      query.to === undefined ? undefined : { sql: 'at < ?', params: [query.to] },
      cursor === null ? undefined : { sql: 'id < ?', params: [Number(cursor)] },
    ]);
    const rows = await dependencies.databases.platform.all<AuditRow>(
      `SELECT id, at, actor_id AS "actorId", tenant_id AS "tenantId", action, target, detail,
              source_address AS "sourceAddress"
         FROM audit_log${where.sql}
        ORDER BY id DESC LIMIT ?`,
      [...where.params, query.limit + 1],
    );
    const entries = rows.map((row) => ({ ...row, detail: parseDetail(row.detail) }));
    return context.json(pageOf(entries, query.limit, (entry) => String(entry.id)));
  });
  return routes;
}
