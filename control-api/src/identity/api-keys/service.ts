// Per-ISP API keys: `kiu_<key id>_<secret>`, shown once, stored as sha256, scoped by permissions.
import { randomBytes } from 'node:crypto';
import { newId } from '@kiunga/schemas';
import type { ApiDependencies } from '../../kernel/dependencies';
import type { Principal } from '../permissions';
import { parsePermissionList } from '../principals';
import { isSameSecret, sha256Hex } from '../secrets';

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

interface ApiKeyRow {
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
  const row = await dependencies.databases.platform.get<ApiKeyRow>(
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
