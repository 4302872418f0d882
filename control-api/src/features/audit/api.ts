// Browsing the audit log: an ISP's own entries (/api/v1/audit, audit.read) and the whole
// platform's (/api/v1/platform/audit, platform_audit.read). Newest first, cursor-paginated.
import { pageResponseSchema } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import { accountScopeOf, type ScopeKind } from '../../identity/scope';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { decodeCursor, pageOf, pageQuerySchema } from '../../kernel/pagination';
import { parseQuery } from '../../kernel/validation';
import { listAuditEntries } from './store';

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

export function auditRoutes(dependencies: ApiDependencies, scopeKind: ScopeKind): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use('*', requirePermission(scopeKind === 'isp' ? 'audit.read' : 'platform_audit.read'));
  routes.get('/', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const query = parseQuery(context, auditQuerySchema);
    const tenantFilter = scope.kind === 'isp' ? scope.tenantId : query.tenantId;
    const entries = await listAuditEntries(dependencies.databases.platform, {
      tenantId: tenantFilter ?? undefined,
      action: query.action,
      actorId: query.actorId,
      from: query.from,
      to: query.to,
      beforeId: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return context.json(pageOf(entries, query.limit, (entry) => String(entry.id)));
  });
  return routes;
}
