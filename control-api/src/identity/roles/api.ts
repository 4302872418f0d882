// Roles as data: ISP roles (/api/v1/roles, staff.manage) and platform roles
// (/api/v1/platform/roles, platform_users.manage). Built-in roles can be read, not changed.
import { pageResponseSchema } from '@kiunga/schemas';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { type RouteGroup, routeGroup } from '../../kernel/route';
import { accountScopeOf, mountScopedGroup, type ScopeKind } from '../scope';
import { createRole, deleteRole, getRole, listRoles, updateRole } from './service';

/** Every catalogue name fits; more would only be duplicates. */
const PERMISSIONS_PER_ROLE_MAX = 64;

export const roleNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[\p{L}\p{N} _.-]+$/u, 'letters, digits, spaces, _ . - only');

export const createRoleSchema = z.object({
  name: roleNameSchema,
  permissions: z.array(z.string().max(64)).max(PERMISSIONS_PER_ROLE_MAX),
});

export const updateRoleSchema = z
  .object({
    name: roleNameSchema.optional(),
    permissions: z.array(z.string().max(64)).max(PERMISSIONS_PER_ROLE_MAX).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'nothing to change');

const roleOutputSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  name: z.string(),
  permissions: z.array(z.string()),
  isBuiltIn: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

/** The same five routes for an ISP's roles and the platform's, each scope under its own path and permission. */
function declareRoleRoutes(scopeKind: ScopeKind): RouteGroup {
  const roles = routeGroup({
    basePath: scopeKind === 'isp' ? '/api/v1/roles' : '/api/v1/platform/roles',
    tag: scopeKind === 'isp' ? 'roles' : 'platform',
  });
  const permission = scopeKind === 'isp' ? 'staff.manage' : 'platform_users.manage';
  const whose = scopeKind === 'isp' ? "the ISP's" : "the platform's";
  const params = z.object({ id: z.string() });

  roles.declare({
    method: 'get',
    path: '/',
    summary: `List ${whose} roles (built-in and custom)`,
    permission,
    response: pageResponseSchema(roleOutputSchema),
    handler: async ({ dependencies, respond }, context) => {
      const scope = accountScopeOf(context, scopeKind);
      return respond({
        items: await listRoles(dependencies.databases.platform, scope.tenantId),
        nextCursor: null,
      });
    },
  });

  roles.declare({
    method: 'post',
    path: '/',
    summary: `Create a custom role of ${whose} permissions (only ones you hold)`,
    permission,
    body: createRoleSchema,
    response: roleOutputSchema,
    responseStatus: 201,
    handler: async ({ body, dependencies, respond }, context) =>
      respond(await createRole(dependencies, context, accountScopeOf(context, scopeKind), body)),
  });

  roles.declare({
    method: 'get',
    path: '/:id',
    summary: 'Get a role',
    permission,
    params,
    response: roleOutputSchema,
    handler: async ({ params, dependencies, respond }, context) =>
      respond(await getRole(dependencies.databases.platform, accountScopeOf(context, scopeKind), params.id)),
  });

  roles.declare({
    method: 'patch',
    path: '/:id',
    summary: 'Rename a custom role or change its permissions (built-in roles are read-only)',
    permission,
    params,
    body: updateRoleSchema,
    response: roleOutputSchema,
    handler: async ({ params, body, dependencies, respond }, context) =>
      respond(await updateRole(dependencies, context, accountScopeOf(context, scopeKind), params.id, body)),
  });

  roles.declare({
    method: 'delete',
    path: '/:id',
    summary: 'Delete a custom role no account holds',
    permission,
    params,
    responseStatus: 204,
    handler: async ({ params, dependencies }, context) => {
      await deleteRole(dependencies, context, accountScopeOf(context, scopeKind), params.id);
      return context.body(null, 204);
    },
  });
  return roles;
}

const roleGroups: Record<ScopeKind, RouteGroup> = {
  isp: declareRoleRoutes('isp'),
  platform: declareRoleRoutes('platform'),
};

/** The scope's roles, its built-in ones seeded on first use. */
export const roleRoutes = (dependencies: ApiDependencies, scopeKind: ScopeKind): Hono<AppEnv> =>
  mountScopedGroup(dependencies, roleGroups, scopeKind);
