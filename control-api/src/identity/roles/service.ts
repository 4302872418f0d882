// Roles as data: the built-in ones (seeded idempotently), lookups scoped to a tenant or the platform,
// and custom roles created, changed and deleted by an actor who holds every permission involved.
import { KiungaError, newId, type SqlDatabase } from '@kiunga/schemas';
import type { Context } from 'hono';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import {
  type IspPermission,
  isIspPermission,
  isPlatformPermission,
  type PlatformPermission,
  permissionsNotHeld,
} from '../permissions';
import { parsePermissionList } from '../principals';

/** Roles per ISP (or for the platform): a handful is normal; a cap keeps lists one page. */
export const ROLES_PER_SCOPE_MAX = 100;

export const builtInPlatformRoles: Record<string, readonly PlatformPermission[]> = {
  support: ['tenants.read', 'tenants.write', 'platform_audit.read', 'platform_support.manage'],
  finance: ['tenants.read', 'platform_billing.manage'],
  'read-only': ['tenants.read', 'platform_audit.read'],
};

export const builtInIspRoles: Record<string, readonly IspPermission[]> = {
  manager: [
    'nas.read',
    'nas.write',
    'plans.read',
    'plans.write',
    'vouchers.read',
    'vouchers.write',
    'subscribers.read',
    'subscribers.write',
    'sessions.read',
    'sessions.disconnect',
    'audit.read',
    'branding.write',
    'support.use',
    'chat.read',
    'chat.reply',
  ],
  cashier: ['plans.read', 'vouchers.read', 'vouchers.write', 'subscribers.read', 'sessions.read'],
  technician: [
    'subscribers.read',
    'subscribers.write',
    'plans.read',
    'sessions.read',
    'cpes.read',
    'cpes.manage',
    'chat.read',
  ],
};

export interface RoleRecord {
  id: string;
  tenantId: string | null;
  name: string;
  permissions: string[];
  isBuiltIn: boolean;
  createdAt: number;
  updatedAt: number;
}

interface RoleRow {
  id: string;
  tenantId: string | null;
  name: string;
  permissions: string;
  isBuiltIn: number;
  createdAt: number;
  updatedAt: number;
}

const ROLE_COLUMNS = `id, tenant_id AS "tenantId", name, permissions, is_built_in AS "isBuiltIn",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export function roleRecordOf(row: RoleRow): RoleRecord {
  const scope = row.tenantId === null ? 'platform' : 'isp';
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    permissions: parsePermissionList(row.permissions, scope),
    isBuiltIn: row.isBuiltIn === 1,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Creates the built-in roles of a tenant (or of the platform, tenantId null) that are missing. */
export async function ensureBuiltInRoles(
  platform: SqlDatabase,
  tenantId: string | null,
  nowMs: number,
): Promise<void> {
  const definitions = tenantId === null ? builtInPlatformRoles : builtInIspRoles;
  await platform.transaction(async (transaction) => {
    for (const [name, permissions] of Object.entries(definitions)) {
      const exists = await transaction.get(
        'SELECT 1 AS found FROM roles WHERE tenant_id IS NOT DISTINCT FROM ? AND name = ?',
        [tenantId, name],
      );
      if (exists) continue;
      await transaction.run(
        `INSERT INTO roles (id, tenant_id, name, permissions, is_built_in, created_at, updated_at)
         VALUES (?, ?, ?, ?, 1, ?, ?)`,
        [newId('role'), tenantId, name, JSON.stringify(permissions), nowMs, nowMs],
      );
    }
  });
}

/** A role of exactly this scope (tenant id or null for platform), or undefined. */
export async function findRole(
  platform: SqlDatabase,
  tenantId: string | null,
  roleId: string,
): Promise<RoleRecord | undefined> {
  const row = await platform.get<RoleRow>(
    `SELECT ${ROLE_COLUMNS} FROM roles WHERE id = ? AND tenant_id IS NOT DISTINCT FROM ?`,
    [roleId, tenantId],
  );
  return row ? roleRecordOf(row) : undefined;
}

export async function findRoleByName(
  platform: SqlDatabase,
  tenantId: string | null,
  name: string,
): Promise<RoleRecord | undefined> {
  const row = await platform.get<RoleRow>(
    `SELECT ${ROLE_COLUMNS} FROM roles WHERE name = ? AND tenant_id IS NOT DISTINCT FROM ?`,
    [name, tenantId],
  );
  return row ? roleRecordOf(row) : undefined;
}

export async function listRoles(platform: SqlDatabase, tenantId: string | null): Promise<RoleRecord[]> {
  const rows = await platform.all<RoleRow>(
    `SELECT ${ROLE_COLUMNS} FROM roles WHERE tenant_id IS NOT DISTINCT FROM ? ORDER BY name, id`,
    [tenantId],
  );
  return rows.map(roleRecordOf);
}

/** Whose roles: an ISP's (tenantId) or the platform's (tenantId null). */
export interface RoleScope {
  kind: 'isp' | 'platform';
  tenantId: string | null;
}

export interface RoleInput {
  name: string;
  permissions: string[];
}

/** Names must exist in the scope's catalogue and be held by the actor; answers them sorted, once each. */
function assertGrantable(context: Context<AppEnv>, scope: RoleScope, permissions: string[]): string[] {
  const isInScope = scope.kind === 'platform' ? isPlatformPermission : isIspPermission;
  const unknown = permissions.filter((name) => !isInScope(name));
  if (unknown.length > 0)
    throw new KiungaError('validation_failed', `permissions: unknown for this scope: ${unknown.join(', ')}.`);
  const missing = permissionsNotHeld(permissions, context.get('principal').permissions);
  if (missing.length > 0)
    throw new KiungaError('forbidden', `You cannot grant permissions you lack: ${missing.join(', ')}.`);
  return [...new Set(permissions)].sort();
}

/** A role of this scope, or not_found. */
export async function getRole(platform: SqlDatabase, scope: RoleScope, roleId: string): Promise<RoleRecord> {
  const role = await findRole(platform, scope.tenantId, roleId);
  if (!role) throw new KiungaError('not_found', 'No such role.');
  return role;
}

async function findEditableRole(
  platform: SqlDatabase,
  scope: RoleScope,
  roleId: string,
): Promise<RoleRecord> {
  const role = await getRole(platform, scope, roleId);
  if (role.isBuiltIn)
    throw new KiungaError('forbidden', 'Built-in roles cannot be changed; create your own.');
  return role;
}

export async function createRole(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  scope: RoleScope,
  input: RoleInput,
): Promise<RoleRecord> {
  const permissions = assertGrantable(context, scope, input.permissions);
  const id = newId('role');
  const nowMs = dependencies.clock.now();
  // One transaction: the name and count checks hold for the insert.
  const role = await dependencies.databases.platform.transaction(async (transaction) => {
    if (await findRoleByName(transaction, scope.tenantId, input.name))
      throw new KiungaError('conflict', 'A role with this name already exists.');
    if ((await listRoles(transaction, scope.tenantId)).length >= ROLES_PER_SCOPE_MAX)
      throw new KiungaError('conflict', `At most ${ROLES_PER_SCOPE_MAX} roles.`);
    await transaction.run(
      `INSERT INTO roles (id, tenant_id, name, permissions, is_built_in, created_at, updated_at)
       VALUES (?, ?, ?, ?, 0, ?, ?)`,
      [id, scope.tenantId, input.name, JSON.stringify(permissions), nowMs, nowMs],
    );
    return getRole(transaction, scope, id);
  });
  await recordAudit(dependencies, context, {
    action: 'role.create',
    target: id,
    detail: { name: input.name, permissions },
  });
  return role;
}

/** Editing a role changes what its holders can do: the actor must hold its old and its new rights. */
export async function updateRole(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  scope: RoleScope,
  roleId: string,
  change: Partial<RoleInput>,
): Promise<RoleRecord> {
  const platform = dependencies.databases.platform;
  const role = await platform.transaction(async (transaction) => {
    const current = await findEditableRole(transaction, scope, roleId);
    assertGrantable(context, scope, current.permissions);
    const permissions = change.permissions
      ? assertGrantable(context, scope, change.permissions)
      : current.permissions;
    if (
      change.name &&
      change.name !== current.name &&
      (await findRoleByName(transaction, scope.tenantId, change.name))
    )
      throw new KiungaError('conflict', 'A role with this name already exists.');
    await transaction.run('UPDATE roles SET name = ?, permissions = ?, updated_at = ? WHERE id = ?', [
      change.name ?? current.name,
      JSON.stringify(permissions),
      dependencies.clock.now(),
      current.id,
    ]);
    return current;
  });
  await recordAudit(dependencies, context, { action: 'role.update', target: role.id, detail: change });
  return getRole(platform, scope, role.id);
}

/** Only a custom role no account holds. */
export async function deleteRole(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  scope: RoleScope,
  roleId: string,
): Promise<void> {
  const role = await dependencies.databases.platform.transaction(async (transaction) => {
    const current = await findEditableRole(transaction, scope, roleId);
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
}
