// The custom_domains rows of the platform DB: one per ISP (its domain, token and verification state).
import type { SqlDatabase } from '@kiunga/schemas';
import type { DomainStatus, DomainVerificationState } from './core';

export interface CustomDomainRow extends DomainVerificationState {
  readonly tenantId: string;
  readonly domain: string | null;
  readonly verificationToken: string;
}

const COLUMNS = `tenant_id AS "tenantId", domain, verification_token AS "verificationToken", status,
  verified_at AS "verifiedAtMs", last_checked_at AS "lastCheckedAtMs", consecutive_misses AS "consecutiveMisses"`;

interface StoredRow extends Omit<CustomDomainRow, 'consecutiveMisses' | 'status'> {
  readonly status: string;
  readonly consecutiveMisses: number | string;
}

function rowOf(stored: StoredRow): CustomDomainRow {
  return {
    ...stored,
    status: stored.status === 'verified' ? 'verified' : 'pending',
    verifiedAtMs: stored.verifiedAtMs === null ? null : Number(stored.verifiedAtMs),
    lastCheckedAtMs: stored.lastCheckedAtMs === null ? null : Number(stored.lastCheckedAtMs),
    consecutiveMisses: Number(stored.consecutiveMisses),
  };
}

export async function findCustomDomain(
  platform: SqlDatabase,
  tenantId: string,
): Promise<CustomDomainRow | null> {
  const stored = await platform.get<StoredRow>(`SELECT ${COLUMNS} FROM custom_domains WHERE tenant_id = ?`, [
    tenantId,
  ]);
  return stored ? rowOf(stored) : null;
}

/** The ISP holding `domain` verified, other than `exceptTenantId` (null: nobody). */
export async function verifiedHolderOf(
  platform: SqlDatabase,
  domain: string,
  exceptTenantId: string,
): Promise<string | null> {
  const row = await platform.get<{ tenantId: string }>(
    `SELECT tenant_id AS "tenantId" FROM custom_domains WHERE verified_domain = ? AND tenant_id != ?`,
    [domain, exceptTenantId],
  );
  return row?.tenantId ?? null;
}

/** Every verified domain → its ISP: the Host routing table and the TLS ask answer. */
export async function listVerifiedDomains(platform: SqlDatabase): Promise<Map<string, string>> {
  const rows = await platform.all<{ domain: string; tenantId: string }>(
    `SELECT domain, tenant_id AS "tenantId" FROM custom_domains WHERE status = 'verified' AND domain IS NOT NULL`,
  );
  return new Map(rows.map((row) => [row.domain, row.tenantId]));
}

/** Verified rows whose last check is older than `checkedBeforeMs` (or never): what the daily job reads. */
export async function listVerifiedCheckedBefore(
  platform: SqlDatabase,
  checkedBeforeMs: number,
): Promise<CustomDomainRow[]> {
  const rows = await platform.all<StoredRow>(
    `SELECT ${COLUMNS} FROM custom_domains WHERE status = 'verified' AND domain IS NOT NULL
      AND (last_checked_at IS NULL OR last_checked_at <= ?) ORDER BY tenant_id`,
    [checkedBeforeMs],
  );
  return rows.map(rowOf);
}

/** Writes the whole row (insert or replace): the ISP's domain, token and state. */
export async function saveCustomDomain(
  platform: SqlDatabase,
  row: CustomDomainRow,
  nowMs: number,
): Promise<void> {
  await platform.run(
    `INSERT INTO custom_domains (tenant_id, domain, verification_token, status, verified_domain, verified_at,
       last_checked_at, consecutive_misses, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id) DO UPDATE SET domain = excluded.domain,
       verification_token = excluded.verification_token, status = excluded.status,
       verified_domain = excluded.verified_domain,
       verified_at = excluded.verified_at, last_checked_at = excluded.last_checked_at,
       consecutive_misses = excluded.consecutive_misses, updated_at = excluded.updated_at`,
    [
      row.tenantId,
      row.domain,
      row.verificationToken,
      row.status satisfies DomainStatus,
      row.status === 'verified' ? row.domain : null,
      row.verifiedAtMs,
      row.lastCheckedAtMs,
      row.consecutiveMisses,
      nowMs,
    ],
  );
}

/** The slug of the ISP a verified domain belongs to (null: the ISP is gone). */
export async function tenantSlugOf(platform: SqlDatabase, tenantId: string): Promise<string | null> {
  const row = await platform.get<{ slug: string }>('SELECT slug FROM tenants WHERE id = ?', [tenantId]);
  return row?.slug ?? null;
}
