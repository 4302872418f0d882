// The platform database's user accounts: reads and writes in portable SQL, no rules (see service.ts).
import { type SqlDatabase, UniqueViolationError } from '@kiunga/schemas';
import { equals, whereAll } from '../../kernel/listing';

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  kind: string;
  tenantId: string | null;
  roleId: string | null;
  status: string;
  totpEnabled: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A row to insert, its password already hashed (identity/passwords.ts). */
export interface AccountRow {
  id: string;
  email: string;
  passwordHash: string;
  displayName: string;
  kind: string;
  tenantId: string | null;
  roleId: string | null;
  mustChangePassword: boolean;
  createdAt: number;
}

const USER_COLUMNS = `id, email, display_name AS "displayName", kind, tenant_id AS "tenantId", role_id AS "roleId",
  status, CASE WHEN totp_enabled_at IS NOT NULL THEN 1 ELSE 0 END AS "totpEnabled", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

function toRecord(row: UserRecord): UserRecord {
  return { ...row, totpEnabled: Boolean(row.totpEnabled) };
}

export async function isEmailTaken(database: SqlDatabase, email: string): Promise<boolean> {
  return (await database.get('SELECT 1 AS found FROM users WHERE email = ?', [email])) !== undefined;
}

/**
 * Inserts an account; false when the email is taken (checked first, and the unique index catches
 * another insert of the same email between the check and this one).
 */
export async function insertUser(database: SqlDatabase, account: AccountRow): Promise<boolean> {
  if (await isEmailTaken(database, account.email)) return false;
  try {
    await database.run(
      `INSERT INTO users (id, email, password_hash, display_name, kind, tenant_id, role_id, status,
                          must_change_password, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
      [
        account.id,
        account.email,
        account.passwordHash,
        account.displayName,
        account.kind,
        account.tenantId,
        account.roleId,
        account.mustChangePassword ? 1 : 0,
        account.createdAt,
        account.createdAt,
      ],
    );
    return true;
  } catch (error) {
    if (error instanceof UniqueViolationError) return false;
    throw error;
  }
}

/** An account of exactly this tenant (null: the platform's own accounts). */
export async function findUserOfTenant(
  database: SqlDatabase,
  tenantId: string | null,
  userId: string,
): Promise<UserRecord | undefined> {
  const row = await database.get<UserRecord>(
    `SELECT ${USER_COLUMNS} FROM users WHERE id = ? AND tenant_id IS NOT DISTINCT FROM ?`,
    [userId, tenantId],
  );
  return row && toRecord(row);
}

/** One page (limit + 1 rows, for the cursor) of a tenant's accounts of these kinds, by id. */
export async function listUsersOfTenant(
  database: SqlDatabase,
  filter: {
    tenantId: string | null;
    kinds: readonly string[];
    status?: string | undefined;
    afterId: string;
    limit: number;
  },
): Promise<UserRecord[]> {
  const where = whereAll([
    { sql: 'tenant_id IS NOT DISTINCT FROM ?', params: [filter.tenantId] },
    { sql: `kind IN (${filter.kinds.map(() => '?').join(', ')})`, params: filter.kinds },
    equals('status', filter.status),
    { sql: 'id > ?', params: [filter.afterId] },
  ]);
  const rows = await database.all<UserRecord>(
    `SELECT ${USER_COLUMNS} FROM users${where.sql} ORDER BY id LIMIT ?`,
    [...where.params, filter.limit + 1],
  );
  return rows.map(toRecord);
}

/** Sets the fields given; the others keep their value. */
export async function updateUser(
  database: SqlDatabase,
  userId: string,
  change: { displayName?: string | undefined; roleId?: string | undefined; status?: string | undefined },
  nowMs: number,
): Promise<void> {
  await database.run(
    `UPDATE users SET display_name = coalesce(CAST(? AS TEXT), display_name),
            role_id = coalesce(CAST(? AS TEXT), role_id), status = coalesce(CAST(? AS TEXT), status),
            updated_at = ? WHERE id = ?`,
    [change.displayName ?? null, change.roleId ?? null, change.status ?? null, nowMs, userId],
  );
}

export async function deleteUser(database: SqlDatabase, userId: string): Promise<void> {
  await database.run('DELETE FROM users WHERE id = ?', [userId]);
}

/** A password set by someone else: the user must pick their own at the next sign-in. */
export async function setImposedPassword(
  database: SqlDatabase,
  userId: string,
  passwordHash: string,
  nowMs: number,
): Promise<void> {
  await database.run(
    'UPDATE users SET password_hash = ?, must_change_password = 1, updated_at = ? WHERE id = ?',
    [passwordHash, nowMs, userId],
  );
}

export async function userIdsOfTenant(database: SqlDatabase, tenantId: string): Promise<string[]> {
  return database.column<string>('SELECT id FROM users WHERE tenant_id = ?', [tenantId]);
}
