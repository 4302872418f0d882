// Built-in roles (data, seeded idempotently) and role lookups scoped to a tenant or the platform.
import { newId, type PlatformDatabase } from '@kiunga/schemas';
import type { IspPermission, PlatformPermission } from '../permissions';
import { parsePermissionList } from './principals';

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

const ROLE_COLUMNS = `id, tenant_id AS tenantId, name, permissions, is_built_in AS isBuiltIn,
  created_at AS createdAt, updated_at AS updatedAt`;

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
export function ensureBuiltInRoles(platform: PlatformDatabase, tenantId: string | null, nowMs: number): void {
  const definitions = tenantId === null ? builtInPlatformRoles : builtInIspRoles;
  const exists = platform.sqlite.prepare('SELECT 1 FROM roles WHERE tenant_id IS ? AND name = ?');
  const insert = platform.sqlite.prepare(
    `INSERT INTO roles (id, tenant_id, name, permissions, is_built_in, created_at, updated_at)
     VALUES (?, ?, ?, ?, 1, ?, ?)`,
  );
  platform.sqlite.transaction(() => {
    for (const [name, permissions] of Object.entries(definitions)) {
      if (exists.get(tenantId, name)) continue;
      insert.run(newId('role'), tenantId, name, JSON.stringify(permissions), nowMs, nowMs);
    }
  })();
}

/** A role of exactly this scope (tenant id or null for platform), or undefined. */
export function findRole(
  platform: PlatformDatabase,
  tenantId: string | null,
  roleId: string,
): RoleRecord | undefined {
  const row = platform.sqlite
    .prepare(`SELECT ${ROLE_COLUMNS} FROM roles WHERE id = ? AND tenant_id IS ?`)
    .get(roleId, tenantId) as RoleRow | undefined;
  return row ? roleRecordOf(row) : undefined;
}

export function findRoleByName(
  platform: PlatformDatabase,
  tenantId: string | null,
  name: string,
): RoleRecord | undefined {
  const row = platform.sqlite
    .prepare(`SELECT ${ROLE_COLUMNS} FROM roles WHERE name = ? AND tenant_id IS ?`)
    .get(name, tenantId) as RoleRow | undefined;
  return row ? roleRecordOf(row) : undefined;
}

export function listRoles(platform: PlatformDatabase, tenantId: string | null): RoleRecord[] {
  const rows = platform.sqlite
    .prepare(`SELECT ${ROLE_COLUMNS} FROM roles WHERE tenant_id IS ? ORDER BY name`)
    .all(tenantId) as RoleRow[];
  return rows.map(roleRecordOf);
}
