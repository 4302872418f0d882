// Turns a verified token subject into a Principal by reading the account from the platform DB,
// so a disabled account or archived tenant loses access at once, whatever tokens it holds.
import type { SqlDatabase } from '@kiunga/schemas';
import {
  builtInPermissions,
  isIspPermission,
  isPlatformPermission,
  type Permission,
  type Principal,
  type PrincipalKind,
} from './permissions';

interface UserRow {
  id: string;
  email: string;
  kind: PrincipalKind;
  tenantId: string | null;
  status: string;
  tenantStatus: string | null;
  rolePermissions: string | null;
  mustChangePassword: number;
}

/** Parses a stored JSON permission list, keeping only catalogue names valid for the scope. */
export function parsePermissionList(json: string | null, scope: 'platform' | 'isp'): Permission[] {
  if (!json) return [];
  let names: unknown;
  try {
    names = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(names)) return [];
  const isInScope = scope === 'platform' ? isPlatformPermission : isIspPermission;
  return names.filter((name): name is Permission => typeof name === 'string' && isInScope(name));
}

function permissionsOf(row: UserRow): Set<Permission> {
  if (row.kind === 'platform_staff') return new Set(parsePermissionList(row.rolePermissions, 'platform'));
  if (row.kind === 'isp_staff' || row.kind === 'technician')
    return new Set(parsePermissionList(row.rolePermissions, 'isp'));
  return new Set(builtInPermissions(row.kind));
}

export async function loadUserPrincipal(platform: SqlDatabase, userId: string): Promise<Principal | null> {
  const row = await platform.get<UserRow>(
    `SELECT u.id, u.email, u.kind, u.tenant_id AS "tenantId", u.status, t.status AS "tenantStatus",
            r.permissions AS "rolePermissions", u.must_change_password AS "mustChangePassword"
       FROM users u
       LEFT JOIN tenants t ON t.id = u.tenant_id
       LEFT JOIN roles r ON r.id = u.role_id AND r.tenant_id IS NOT DISTINCT FROM u.tenant_id
      WHERE u.id = ?`,
    [userId],
  );
  if (row?.status !== 'active') return null;
  if (row.tenantId !== null && (row.tenantStatus === null || row.tenantStatus === 'archived')) return null;
  return {
    kind: row.kind,
    id: row.id,
    email: row.email,
    tenantId: row.tenantId,
    permissions: permissionsOf(row),
    tenantStatus: row.tenantStatus,
    mustChangePassword: row.mustChangePassword === 1,
  };
}
