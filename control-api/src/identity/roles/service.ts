// Built-in roles (data, seeded idempotently) and role lookups scoped to a tenant or the platform.
import { newId, type SqlDatabase } from '@kiunga/schemas';
import type { IspPermission, PlatformPermission } from '../permissions';
import { parsePermissionList } from '../principals';

export const builtInPlatformRoles: Record<string, readonly PlatformPermission[]> = {
  support: ['tenants.read', 'tenants.write', 'platform_audit.read'],
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
  ],
  cashier: ['plans.read', 'vouchers.read', 'vouchers.write', 'subscribers.read', 'sessions.read'],
  technician: ['subscribers.read', 'subscribers.write', 'plans.read', 'sessions.read'],
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
