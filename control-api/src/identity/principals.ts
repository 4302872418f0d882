// Turns a verified token subject into a Principal by reading the account from the platform DB,
// so a suspended account or tenant loses access at once, whatever tokens it holds.
import type { PlatformDatabase } from '@kiunga/schemas';
import { builtInPermissions, type Permission, type Principal, type PrincipalKind } from '../permissions';

interface UserRow {
  id: string;
  email: string;
  kind: PrincipalKind;
  tenantId: string | null;
  status: string;
  tenantStatus: string | null;
}

export function loadUserPrincipal(platform: PlatformDatabase, userId: string): Principal | null {
  const row = platform.sqlite
    .prepare(
      `SELECT u.id, u.email, u.kind, u.tenant_id AS tenantId, u.status, t.status AS tenantStatus
         FROM users u LEFT JOIN tenants t ON t.id = u.tenant_id WHERE u.id = ?`,
    )
    .get(userId) as UserRow | undefined;
  if (!row || row.status !== 'active') return null;
  if (row.tenantId !== null && row.tenantStatus === 'archived') return null;
  const permissions = new Set<Permission>(builtInPermissions(row.kind));
  return { kind: row.kind, id: row.id, email: row.email, tenantId: row.tenantId, permissions };
}
