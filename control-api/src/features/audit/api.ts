// Browsing the audit log: an ISP's own entries (/api/v1/audit, audit.read) and the whole
// platform's (/api/v1/platform/audit, platform_audit.read). Newest first, cursor-paginated.
import { pageResponseSchema } from '@kiunga/schemas';
import type { Hono } from 'hono';
import { z } from 'zod';
import { accountScopeOf, type ScopeKind } from '../../identity/scope';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { pageQuerySchema } from '../../kernel/pagination';
import { type RouteGroup, routeGroup } from '../../kernel/route';
import { auditLogPage } from './store';

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

/** One log, read at two scopes: an ISP sees its own entries, the platform every ISP's. */
const auditLogs: Record<ScopeKind, RouteGroup> = {
  isp: routeGroup({ basePath: '/api/v1/audit', tag: 'audit' }),
  platform: routeGroup({ basePath: '/api/v1/platform/audit', tag: 'platform' }),
};

for (const scopeKind of ['isp', 'platform'] as const) {
  auditLogs[scopeKind].declare({
    method: 'get',
    path: '/',
    summary:
      scopeKind === 'isp'
        ? "The ISP's audit log, newest first (who, what, when, from where)"
        : "The whole platform's audit log, newest first (filter by tenantId)",
    permission: scopeKind === 'isp' ? 'audit.read' : 'platform_audit.read',
    query: auditQuerySchema,
    response: pageResponseSchema(auditEntrySchema),
    handler: async ({ query: { tenantId, cursor, ...filter }, dependencies, respond }, context) => {
      const scope = accountScopeOf(context, scopeKind);
      const tenantFilter = scope.kind === 'isp' ? scope.tenantId : tenantId;
      return respond(
        await auditLogPage(dependencies.databases.platform, {
          ...filter,
          tenantId: tenantFilter ?? undefined,
          cursor,
        }),
      );
    },
  });
}

export function auditRoutes(dependencies: ApiDependencies, scopeKind: ScopeKind): Hono<AppEnv> {
  return auditLogs[scopeKind].mount(dependencies);
}
