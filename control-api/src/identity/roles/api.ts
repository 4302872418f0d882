// Roles as data: ISP roles (/api/v1/roles, staff.manage) and platform roles
// (/api/v1/platform/roles, platform_users.manage). Built-in roles can be read, not changed.
import { pageResponseSchema } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { parseJsonBody } from '../../kernel/validation';
import { accountScopeOf, ensureTenantRoles, type ScopeKind } from '../scope';
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

for (const scope of ['isp', 'platform'] as const) {
  const base = scope === 'isp' ? '/api/v1/roles' : '/api/v1/platform/roles';
  const tag = scope === 'isp' ? 'roles' : 'platform';
  const permission = scope === 'isp' ? 'staff.manage' : 'platform_users.manage';
  const whose = scope === 'isp' ? "the ISP's" : "the platform's";
  registerApiOperations([
    {
      method: 'get',
      path: base,
      summary: `List ${whose} roles (built-in and custom)`,
      tag,
      permission,
      response: pageResponseSchema(roleOutputSchema),
    },
    {
      method: 'post',
      path: base,
      summary: `Create a custom role of ${whose} permissions (only ones you hold)`,
      tag,
      permission,
      body: createRoleSchema,
      response: roleOutputSchema,
      responseStatus: 201,
    },
    {
      method: 'get',
      path: `${base}/{id}`,
      summary: 'Get a role',
      tag,
      permission,
      response: roleOutputSchema,
    },
    {
      method: 'patch',
      path: `${base}/{id}`,
      summary: 'Rename a custom role or change its permissions (built-in roles are read-only)',
      tag,
      permission,
      body: updateRoleSchema,
      response: roleOutputSchema,
    },
    {
      method: 'delete',
      path: `${base}/{id}`,
      summary: 'Delete a custom role no account holds',
      tag,
      permission,
      responseStatus: 204,
    },
  ]);
}

export function roleRoutes(dependencies: ApiDependencies, scopeKind: ScopeKind): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const platform = dependencies.databases.platform;
  const permission = scopeKind === 'isp' ? 'staff.manage' : 'platform_users.manage';
  routes.use('*', requirePermission(permission), ensureTenantRoles(dependencies));

  routes.get('/', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    return context.json({ items: await listRoles(platform, scope.tenantId), nextCursor: null });
  });

  routes.get('/:id', async (context) =>
    context.json(await getRole(platform, accountScopeOf(context, scopeKind), context.req.param('id'))),
  );

  routes.post('/', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const body = await parseJsonBody(context, createRoleSchema);
    return context.json(await createRole(dependencies, context, scope, body), 201);
  });

  routes.patch('/:id', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const body = await parseJsonBody(context, updateRoleSchema);
    return context.json(await updateRole(dependencies, context, scope, context.req.param('id'), body));
  });

  routes.delete('/:id', async (context) => {
    await deleteRole(dependencies, context, accountScopeOf(context, scopeKind), context.req.param('id'));
    return context.body(null, 204);
  });
  return routes;
}
