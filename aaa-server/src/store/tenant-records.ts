// Reads and small writes of one tenant's shard on the authentication path (raw prepared statements:
// this is the hot path, so no query builder in between).
import { formatMikrotikRateLimit, type TenantShard } from '@kiunga/schemas';
import { normalizeCallingStationId } from '../sessions/calling-station-id';

export interface VoucherRow {
  id: string;
  code: string;
  status: string;
  validitySeconds: number;
  deviceLimit: number;
  rateLimit: string;
  dataCapBytes: number | null;
  firstUsedAt: number | null;
  expiresAt: number | null;
}

export interface SubscriberRow {
  id: string;
  username: string;
  passwordSealed: string;
  status: string;
  expiresAt: number | null;
  staticIp: string | null;
  /** The one device this account may log in from, normalised like a Calling-Station-Id; null: any device. */
  macAddress: string | null;
  deviceLimit: number;
  rateLimit: string;
  /** The plan's MikroTik IP pool (Framed-Pool), or null to leave it to the router's PPP profile. */
  ipPool: string | null;
}

export function findVoucherByCode(shard: TenantShard, code: string): VoucherRow | undefined {
  return shard
    .statement(
      `SELECT id, code, status, validity_seconds AS validitySeconds, device_limit AS deviceLimit,
              rate_limit AS rateLimit, data_cap_bytes AS dataCapBytes, first_used_at AS firstUsedAt,
              expires_at AS expiresAt
         FROM vouchers WHERE code = ?`,
    )
    .get(code) as VoucherRow | undefined;
}

interface SubscriberPlanRow {
  id: string;
  username: string;
  passwordSealed: string;
  status: string;
  expiresAt: number | null;
  staticIp: string | null;
  macAddress: string | null;
  deviceLimit: number;
  ipPool: string | null;
  rateUpKbps: number;
  rateDownKbps: number;
  burstUpKbps: number | null;
  burstDownKbps: number | null;
  burstThresholdUpKbps: number | null;
  burstThresholdDownKbps: number | null;
  burstTimeSeconds: number | null;
}

export function findSubscriberByUsername(shard: TenantShard, username: string): SubscriberRow | undefined {
  const row = shard
    .statement(
      `SELECT s.id, s.username, s.password_sealed AS passwordSealed, s.status, s.expires_at AS expiresAt,
              s.static_ip AS staticIp, s.mac_address AS macAddress, p.device_limit AS deviceLimit,
              p.ip_pool AS ipPool, p.rate_up_kbps AS rateUpKbps,
              p.rate_down_kbps AS rateDownKbps, p.burst_up_kbps AS burstUpKbps,
              p.burst_down_kbps AS burstDownKbps, p.burst_threshold_up_kbps AS burstThresholdUpKbps,
              p.burst_threshold_down_kbps AS burstThresholdDownKbps, p.burst_time_seconds AS burstTimeSeconds
         FROM subscribers s JOIN plans p ON p.id = s.plan_id WHERE s.username = ?`,
    )
    .get(username) as SubscriberPlanRow | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    username: row.username,
    passwordSealed: row.passwordSealed,
    status: row.status,
    expiresAt: row.expiresAt,
    staticIp: row.staticIp,
    // Stored as the console wrote it ('02:00:00:AA:BB:CC'); compared in the one spelling a NAS's also gets.
    macAddress: row.macAddress ? normalizeCallingStationId(row.macAddress) : null,
    deviceLimit: row.deviceLimit,
    ipPool: row.ipPool ? row.ipPool : null,
    rateLimit: formatMikrotikRateLimit({
      upKbps: row.rateUpKbps,
      downKbps: row.rateDownKbps,
      burstUpKbps: row.burstUpKbps,
      burstDownKbps: row.burstDownKbps,
      burstThresholdUpKbps: row.burstThresholdUpKbps,
      burstThresholdDownKbps: row.burstThresholdDownKbps,
      burstTimeSeconds: row.burstTimeSeconds,
    }),
  };
}

/**
 * Marks a voucher's first login. Guarded by `first_used_at IS NULL` so that two logins racing
 * (two AAA nodes, later) keep the earlier start; returns the expiry that is now stored.
 */
export function recordVoucherFirstUse(
  shard: TenantShard,
  voucherId: string,
  firstUsedAtMs: number,
  expiresAtMs: number,
): number {
  shard
    .statement(
      `UPDATE vouchers SET first_used_at = ?, expires_at = ?, status = 'active'
        WHERE id = ? AND first_used_at IS NULL`,
    )
    .run(firstUsedAtMs, expiresAtMs, voucherId);
  const stored = shard
    .statement('SELECT expires_at AS expiresAt FROM vouchers WHERE id = ?')
    .get(voucherId) as { expiresAt: number | null } | undefined;
  return stored?.expiresAt ?? expiresAtMs;
}

export function usedOctetsOfSubject(shard: TenantShard, subjectKind: string, subjectId: string): number {
  const row = shard
    .statement(
      `SELECT COALESCE(SUM(input_octets + output_octets), 0) AS used
         FROM sessions WHERE subject_kind = ? AND subject_id = ?`,
    )
    .get(subjectKind, subjectId) as { used: number };
  return row.used;
}
