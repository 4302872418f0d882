// Per-ISP API keys: `kiu_<key id>_<secret>`, shown once, stored as sha256, scoped by permissions:
// created with a subset of the creator's, listed without secrets, revoked at once, audited.
import { randomBytes } from 'node:crypto';
import { KiungaError, newId } from '@kiunga/schemas';
import type { Context } from 'hono';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { decodeCursor, type Page, pageOf } from '../../kernel/pagination';
import { isIspPermission, type Principal, permissionsNotHeld } from '../permissions';
import { parsePermissionList } from '../principals';
import { isSameSecret, sha256Hex } from '../secrets';

/** Live keys per ISP: one per integration is plenty; the cap bounds what a leak could mint. */
export const API_KEYS_PER_TENANT_MAX = 50;

export const API_KEY_PREFIX = 'kiu_';
/** 256-bit secret in hex (no '_' in it, so the key splits unambiguously at the last '_'). */
const API_KEY_SECRET_BYTES = 32;
/** last_used_at is a hint, not a log: write it at most once a minute per key, not on every call. */
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export function isApiKeyToken(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

export function newApiKey(): { id: string; secretHash: string; key: string } {
  const id = newId('apiKey');
  const secret = randomBytes(API_KEY_SECRET_BYTES).toString('hex');
  return { id, secretHash: sha256Hex(secret), key: `${API_KEY_PREFIX}${id}_${secret}` };
}

export function parseApiKey(token: string): { id: string; secret: string } | null {
  if (!isApiKeyToken(token)) return null;
  const rest = token.slice(API_KEY_PREFIX.length);
  const split = rest.lastIndexOf('_');
  if (split <= 0 || split === rest.length - 1) return null;
  return { id: rest.slice(0, split), secret: rest.slice(split + 1) };
}

interface ApiKeyCredentialRow {
  id: string;
  tenantId: string;
  secretHash: string;
  permissions: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
  tenantStatus: string | null;
}

/** The key's principal (kind 'api_key', of its tenant), or null when unknown, revoked or archived. */
export async function apiKeyPrincipal(
  dependencies: ApiDependencies,
  token: string,
): Promise<Principal | null> {
  const parsed = parseApiKey(token);
  if (!parsed) return null;
  const row = await dependencies.databases.platform.get<ApiKeyCredentialRow>(
    `SELECT k.id, k.tenant_id AS "tenantId", k.secret_hash AS "secretHash", k.permissions,
            k.last_used_at AS "lastUsedAt", k.revoked_at AS "revokedAt", t.status AS "tenantStatus"
       FROM api_keys k LEFT JOIN tenants t ON t.id = k.tenant_id WHERE k.id = ?`,
    [parsed.id],
  );
  if (!row || row.revokedAt !== null || !isSameSecret(row.secretHash, sha256Hex(parsed.secret))) return null;
  if (row.tenantStatus === null || row.tenantStatus === 'archived') return null;
  const nowMs = dependencies.clock.now();
  if (row.lastUsedAt === null || nowMs - row.lastUsedAt >= LAST_USED_WRITE_INTERVAL_MS) {
    await dependencies.databases.platform.run('UPDATE api_keys SET last_used_at = ? WHERE id = ?', [
      nowMs,
      row.id,
    ]);
  }
  return {
    kind: 'api_key',
    id: row.id,
    email: null,
    tenantId: row.tenantId,
    permissions: new Set(parsePermissionList(row.permissions, 'isp')),
    tenantStatus: row.tenantStatus,
  };
}

/** An API key as its ISP sees it: never its secret. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  permissions: string[];
  createdBy: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

type ApiKeyRow = Omit<ApiKeyRecord, 'permissions'> & { permissions: string };

const KEY_COLUMNS = `id, name, permissions, created_by AS "createdBy", created_at AS "createdAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return { ...row, permissions: parsePermissionList(row.permissions, 'isp') };
}

export async function listApiKeys(
  dependencies: ApiDependencies,
  tenantId: string,
  query: { cursor?: string | undefined; limit: number },
): Promise<Page<ApiKeyRecord>> {
  const rows = await dependencies.databases.platform.all<ApiKeyRow>(
    `SELECT ${KEY_COLUMNS} FROM api_keys WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
    [tenantId, decodeCursor(query.cursor) ?? '', query.limit + 1],
  );
  return pageOf(rows.map(toRecord), query.limit, (key) => key.id);
}

/** A new key of the signed-in actor's ISP with permissions the actor holds; the key itself is in the answer only. */
export async function createApiKey(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  tenantId: string,
  input: { name: string; permissions: string[] },
): Promise<ApiKeyRecord & { key: string }> {
  const unknown = input.permissions.filter((name) => !isIspPermission(name));
  if (unknown.length > 0)
    throw new KiungaError('validation_failed', `permissions: unknown: ${unknown.join(', ')}.`);
  const actor = context.get('principal');
  const missing = permissionsNotHeld(input.permissions, actor.permissions);
  if (missing.length > 0)
    throw new KiungaError('forbidden', `A key cannot have permissions you lack: ${missing.join(', ')}.`);
  const { id, secretHash, key } = newApiKey();
  const permissions = [...new Set(input.permissions)].sort();
  // One transaction: the count of live keys holds for the insert.
  const row = await dependencies.databases.platform.transaction(async (transaction) => {
    const live = await transaction.get<{ count: number }>(
      'SELECT count(*) AS count FROM api_keys WHERE tenant_id = ? AND revoked_at IS NULL',
      [tenantId],
    );
    if ((live?.count ?? 0) >= API_KEYS_PER_TENANT_MAX)
      throw new KiungaError(
        'conflict',
        `At most ${API_KEYS_PER_TENANT_MAX} live API keys; revoke one first.`,
      );
    await transaction.run(
      `INSERT INTO api_keys (id, tenant_id, name, secret_hash, permissions, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [id, tenantId, input.name, secretHash, JSON.stringify(permissions), actor.id, dependencies.clock.now()],
    );
    return transaction.get<ApiKeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = ?`, [id]);
  });
  if (!row) throw new Error('the API key vanished inside its transaction');
  await recordAudit(dependencies, context, {
    action: 'api_key.create',
    target: id,
    detail: { name: input.name, permissions },
  });
  return { ...toRecord(row), key };
}

/** Revokes a key of this ISP (again: nothing happens); another ISP's key is not_found. */
export async function revokeApiKey(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  tenantId: string,
  keyId: string,
): Promise<void> {
  const platform = dependencies.databases.platform;
  const row = await platform.get<ApiKeyRow>(
    `SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = ? AND tenant_id = ?`,
    [keyId, tenantId],
  );
  if (!row) throw new KiungaError('not_found', 'No such API key.');
  if (row.revokedAt !== null) return;
  await platform.run('UPDATE api_keys SET revoked_at = ? WHERE id = ?', [dependencies.clock.now(), row.id]);
  await recordAudit(dependencies, context, {
    action: 'api_key.revoke',
    target: row.id,
    detail: { name: row.name },
  });
}
