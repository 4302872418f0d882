// Roles as data: ISP roles (/api/v1/roles, staff.manage) and platform roles
// (/api/v1/platform/roles, platform_users.manage). Built-in roles can be read, not changed.
import { KiungaError, newId, pageResponseSchema } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../audit';
import type { ApiDependencies, AppEnv } from '../dependencies';
import { findRole, findRoleByName, listRoles, type RoleRecord } from '../identity/roles';
import { type AccountScope, accountScopeOf, ensureTenantRoles, type ScopeKind } from '../identity/scope';
import { requirePermission } from '../middleware/require-permission';
import { isIspPermission, isPlatformPermission, permissionsNotHeld } from '../permissions';
import { parseJsonBody } from '../validation';
import { registerApiOperations } from './openapi';

/** Roles per ISP (or for the platform): a handful is normal; a cap keeps lists one page. */
export const ROLES_PER_SCOPE_MAX = 100;
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

/** Names must exist in the scope's catalogue and be held by the actor. */
function assertGrantable(context: Context<AppEnv>, scope: AccountScope, permissions: string[]): string[] {
  const isInScope = scope.kind === 'platform' ? isPlatformPermission : isIspPermission;
  const unknown = permissions.filter((name) => !isInScope(name));
  if (unknown.length > 0)
    throw new KiungaError('validation_failed', `permissions: unknown for this scope: ${unknown.join(', ')}.`);
  const missing = permissionsNotHeld(permissions, context.get('principal').permissions);
  if (missing.length > 0)
    throw new KiungaError('forbidden', `You cannot grant permissions you lack: ${missing.join(', ')}.`);
  return [...new Set(permissions)].sort();
}

function findEditableRole(dependencies: ApiDependencies, scope: AccountScope, roleId: string): RoleRecord {
  const role = findRole(dependencies.platform, scope.tenantId, roleId);
  if (!role) throw new KiungaError('not_found', 'No such role.');
  if (role.isBuiltIn)
    throw new KiungaError('forbidden', 'Built-in roles cannot be changed; create your own.');
  return role;
}

export function roleRoutes(dependencies: ApiDependencies, scopeKind: ScopeKind): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const sqlite = dependencies.platform.sqlite;
  const permission = scopeKind === 'isp' ? 'staff.manage' : 'platform_users.manage';
  routes.use('*', requirePermission(permission), ensureTenantRoles(dependencies));

  routes.get('/', (context) => {
    const scope = accountScopeOf(context, scopeKind);
    return context.json({ items: listRoles(dependencies.platform, scope.tenantId), nextCursor: null });
  });

  routes.get('/:id', (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const role = findRole(dependencies.platform, scope.tenantId, context.req.param('id'));
    if (!role) throw new KiungaError('not_found', 'No such role.');
    return context.json(role);
  });

  routes.post('/', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const body = await parseJsonBody(context, createRoleSchema);
    const permissions = assertGrantable(context, scope, body.permissions);
    if (findRoleByName(dependencies.platform, scope.tenantId, body.name))
      throw new KiungaError('conflict', 'A role with this name already exists.');
    if (listRoles(dependencies.platform, scope.tenantId).length >= ROLES_PER_SCOPE_MAX)
      throw new KiungaError('conflict', `At most ${ROLES_PER_SCOPE_MAX} roles.`);
    const id = newId('role');
    const nowMs = dependencies.clock.now();
    sqlite
      .prepare(
        `INSERT INTO roles (id, tenant_id, name, permissions, is_built_in, created_at, updated_at)
         VALUES (?, ?, ?, ?, 0, ?, ?)`,
      )
      .run(id, scope.tenantId, body.name, JSON.stringify(permissions), nowMs, nowMs);
    recordAudit(dependencies, context, {
      action: 'role.create',
      target: id,
      detail: { name: body.name, permissions },
    });
    return context.json(findRole(dependencies.platform, scope.tenantId, id), 201);
  });

  routes.patch('/:id', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const role = findEditableRole(dependencies, scope, context.req.param('id'));
    const body = await parseJsonBody(context, updateRoleSchema);
    // Editing a role changes what its holders can do: the actor must hold its old and new rights.
    assertGrantable(context, scope, role.permissions);
    const permissions = body.permissions
      ? assertGrantable(context, scope, body.permissions)
      : role.permissions;
    if (
      body.name &&
      body.name !== role.name &&
      findRoleByName(dependencies.platform, scope.tenantId, body.name)
    )
      throw new KiungaError('conflict', 'A role with this name already exists.');
    sqlite
      .prepare('UPDATE roles SET name = ?, permissions = ?, updated_at = ? WHERE id = ?')
      .run(body.name ?? role.name, JSON.stringify(permissions), dependencies.clock.now(), role.id);
    recordAudit(dependencies, context, { action: 'role.update', target: role.id, detail: body });
    return context.json(findRole(dependencies.platform, scope.tenantId, role.id));
  });

  routes.delete('/:id', (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const role = findEditableRole(dependencies, scope, context.req.param('id'));
    if (sqlite.prepare('SELECT 1 FROM users WHERE role_id = ?').get(role.id))
      throw new KiungaError('conflict', 'Accounts still hold this role; give them another role first.');
    sqlite.prepare('DELETE FROM roles WHERE id = ?').run(role.id);
    recordAudit(dependencies, context, {
      action: 'role.delete',
      target: role.id,
      detail: { name: role.name },
    });
    return context.body(null, 204);
  });
  return routes;
}
