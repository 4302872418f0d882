// Roles as data: ISP roles (/api/v1/roles, staff.manage) and platform roles
// (/api/v1/platform/roles, platform_users.manage). Built-in roles can be read, not changed.
import { KiungaError, newId, pageResponseSchema, type SqlDatabase } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { parseJsonBody } from '../../kernel/validation';
import { isIspPermission, isPlatformPermission, permissionsNotHeld } from '../permissions';
import { type AccountScope, accountScopeOf, ensureTenantRoles, type ScopeKind } from '../scope';
import { findRole, findRoleByName, listRoles, type RoleRecord } from './service';

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

async function findEditableRole(
  platform: SqlDatabase,
  scope: AccountScope,
  roleId: string,
): Promise<RoleRecord> {
  const role = await findRole(platform, scope.tenantId, roleId);
  if (!role) throw new KiungaError('not_found', 'No such role.');
  if (role.isBuiltIn)
    throw new KiungaError('forbidden', 'Built-in roles cannot be changed; create your own.');
  return role;
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

  routes.get('/:id', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const role = await findRole(platform, scope.tenantId, context.req.param('id'));
    if (!role) throw new KiungaError('not_found', 'No such role.');
    return context.json(role);
  });

  routes.post('/', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const body = await parseJsonBody(context, createRoleSchema);
    const permissions = assertGrantable(context, scope, body.permissions);
    const id = newId('role');
    const nowMs = dependencies.clock.now();
    // One transaction: the name and count checks hold for the insert.
    const role = await platform.transaction(async (transaction) => {
      if (await findRoleByName(transaction, scope.tenantId, body.name))
        throw new KiungaError('conflict', 'A role with this name already exists.');
      if ((await listRoles(transaction, scope.tenantId)).length >= ROLES_PER_SCOPE_MAX)
        throw new KiungaError('conflict', `At most ${ROLES_PER_SCOPE_MAX} roles.`);
      await transaction.run(
        `INSERT INTO roles (id, tenant_id, name, permissions, is_built_in, created_at, updated_at)
         VALUES (?, ?, ?, ?, 0, ?, ?)`,
        [id, scope.tenantId, body.name, JSON.stringify(permissions), nowMs, nowMs],
      );
      return findRole(transaction, scope.tenantId, id);
    });
    await recordAudit(dependencies, context, {
      action: 'role.create',
      target: id,
      detail: { name: body.name, permissions },
    });
    return context.json(role, 201);
  });

  routes.patch('/:id', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const body = await parseJsonBody(context, updateRoleSchema);
    const role = await platform.transaction(async (transaction) => {
      const current = await findEditableRole(transaction, scope, context.req.param('id'));
      // Editing a role changes what its holders can do: the actor must hold its old and new rights.
      assertGrantable(context, scope, current.permissions);
      const permissions = body.permissions
        ? assertGrantable(context, scope, body.permissions)
        : current.permissions;
      if (
        body.name &&
        body.name !== current.name &&
        (await findRoleByName(transaction, scope.tenantId, body.name))
      )
        throw new KiungaError('conflict', 'A role with this name already exists.');
      await transaction.run('UPDATE roles SET name = ?, permissions = ?, updated_at = ? WHERE id = ?', [
        body.name ?? current.name,
        JSON.stringify(permissions),
        dependencies.clock.now(),
        current.id,
      ]);
      return current;
    });
    await recordAudit(dependencies, context, { action: 'role.update', target: role.id, detail: body });
    return context.json(await findRole(platform, scope.tenantId, role.id));
  });

  routes.delete('/:id', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const role = await platform.transaction(async (transaction) => {
      const current = await findEditableRole(transaction, scope, context.req.param('id'));
      if (await transaction.get('SELECT 1 AS found FROM users WHERE role_id = ?', [current.id]))
        throw new KiungaError('conflict', 'Accounts still hold this role; give them another role first.');
      await transaction.run('DELETE FROM roles WHERE id = ?', [current.id]);
      return current;
    });
    await recordAudit(dependencies, context, {
      action: 'role.delete',
      target: role.id,
      detail: { name: role.name },
    });
    return context.body(null, 204);
  });
  return routes;
}
