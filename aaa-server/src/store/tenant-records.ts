// Reads and small writes of one tenant's database on the authentication path (SQL through the layer:
// these run only on a cache miss or a first login, so no query builder in between).
import { formatMikrotikRateLimit, type SqlDatabase } from '@kiunga/schemas';
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

export function findVoucherByCode(database: SqlDatabase, code: string): Promise<VoucherRow | undefined> {
  return database.get<VoucherRow>(
    // Past its fair-use threshold a voucher logs in at the throttled rate (fair_use_states, issue 12).
    `SELECT v.id, v.code, v.status, v.validity_seconds AS "validitySeconds", v.device_limit AS "deviceLimit",
            COALESCE(f.rate_limit, v.rate_limit) AS "rateLimit", v.data_cap_bytes AS "dataCapBytes",
            v.first_used_at AS "firstUsedAt", v.expires_at AS "expiresAt"
       FROM vouchers v LEFT JOIN fair_use_states f ON f.subject_id = v.id AND f.state = 'throttled'
      WHERE v.code = ?`,
    [code],
  );
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
  /** Past its plan's fair-use threshold this cycle: the throttled Mikrotik-Rate-Limit (issue 12). */
  throttledRateLimit: string | null;
}

export async function findSubscriberByUsername(
  database: SqlDatabase,
  username: string,
): Promise<SubscriberRow | undefined> {
  const row = await database.get<SubscriberPlanRow>(
    `SELECT s.id, s.username, s.password_sealed AS "passwordSealed", s.status, s.expires_at AS "expiresAt",
            s.static_ip AS "staticIp", s.mac_address AS "macAddress", p.device_limit AS "deviceLimit",
            p.ip_pool AS "ipPool", p.rate_up_kbps AS "rateUpKbps",
            p.rate_down_kbps AS "rateDownKbps", p.burst_up_kbps AS "burstUpKbps",
            p.burst_down_kbps AS "burstDownKbps", p.burst_threshold_up_kbps AS "burstThresholdUpKbps",
            p.burst_threshold_down_kbps AS "burstThresholdDownKbps", p.burst_time_seconds AS "burstTimeSeconds",
            f.rate_limit AS "throttledRateLimit"
       FROM subscribers s JOIN plans p ON p.id = s.plan_id
       LEFT JOIN fair_use_states f ON f.subject_id = s.id AND f.state = 'throttled'
      WHERE s.username = ?`,
    [username],
  );
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
    rateLimit:
      row.throttledRateLimit ??
      formatMikrotikRateLimit({
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

const GENERATION_SQL = `SELECT value FROM change_generation WHERE name = 'auth'`;

/** The tenant's change generation (tenant migration 0001: every write to vouchers, subscribers, plans moves it). */
export async function readChangeGeneration(database: SqlDatabase): Promise<number> {
  const [value] = await database.column<number>(GENERATION_SQL);
  return value ?? 0;
}

export interface FirstUseRecorded {
  /** The expiry now stored (an earlier login's, when another node's first use won). */
  expiresAtMs: number;
  /** The change generation just before this write and just after its commit (see recordVoucherFirstUse). */
  generationBefore: number;
  generationAfter: number;
}

/**
 * Marks a voucher's first login, in two statements. The update keeps an earlier start (two logins racing
 * through two AAA nodes: the first to commit wins) and returns the expiry that is now stored either way.
 * Its change-generation trigger (tenant migration 0001: a row trigger on SQLite, a statement trigger on
 * PostgreSQL) moves the generation by exactly one and holds the generation's row lock (PostgreSQL) or
 * the one writer's lock (SQLite) until commit, so the generation read next is this write's own move: a
 * cache that stood one below it may move to it without forgetting its lookups. When no row was updated
 * (the voucher was deleted meanwhile) nothing is claimed as ours, and the cache starts afresh.
 */
export function recordVoucherFirstUse(
  database: SqlDatabase,
  voucherId: string,
  firstUsedAtMs: number,
  expiresAtMs: number,
): Promise<FirstUseRecorded> {
  return recordVoucherFirstUses(database, [{ voucherId, firstUsedAtMs, expiresAtMs }]).then((recorded) => ({
    expiresAtMs: recorded.expiresAtMs[0] ?? expiresAtMs,
    generationBefore: recorded.generationBefore,
    generationAfter: recorded.generationAfter,
  }));
}

/** One voucher's first login, as recordVoucherFirstUses takes it. */
export interface VoucherFirstUse {
  readonly voucherId: string;
  readonly firstUsedAtMs: number;
  readonly expiresAtMs: number;
}

/** What a group of first uses stored: each one's expiry (in order) and the generation's move over all of them. */
export interface FirstUsesRecorded {
  readonly expiresAtMs: readonly number[];
  readonly generationBefore: number;
  readonly generationAfter: number;
}

/**
 * Several vouchers' first logins in one transaction, so one commit (one fsync on SQLite) serves them all;
 * each as recordVoucherFirstUse describes. Every updated row moves the generation by exactly one, so the
 * move claimed over the group is the number of rows updated; a voucher deleted meanwhile updates none
 * (PostgreSQL's statement trigger still moves the generation for it: that move is not claimed, and a
 * cache that sees the difference starts afresh, as after anyone else's write).
 */
export function recordVoucherFirstUses(
  database: SqlDatabase,
  uses: readonly VoucherFirstUse[],
): Promise<FirstUsesRecorded> {
  return database.transaction(async (transaction) => {
    const expiresAtMs: number[] = [];
    let updated = 0;
    for (const use of uses) {
      const [stored] = await transaction.column<number | null>(
        `UPDATE vouchers SET first_used_at = COALESCE(first_used_at, ?),
                expires_at = CASE WHEN first_used_at IS NULL THEN ? ELSE expires_at END,
                status = CASE WHEN first_used_at IS NULL THEN 'active' ELSE status END
          WHERE id = ?
         RETURNING expires_at`,
        [use.firstUsedAtMs, use.expiresAtMs, use.voucherId],
      );
      if (stored !== undefined) updated += 1;
      expiresAtMs.push(stored ?? use.expiresAtMs);
    }
    const generationAfter = await readChangeGeneration(transaction);
    return { expiresAtMs, generationBefore: generationAfter - updated, generationAfter };
  });
}

export async function usedOctetsOfSubject(
  database: SqlDatabase,
  subjectKind: string,
  subjectId: string,
): Promise<number> {
  const row = await database.get<{ used: number }>(
    `SELECT COALESCE(SUM(input_octets + output_octets), 0) AS used
       FROM sessions WHERE subject_kind = ? AND subject_id = ?`,
    [subjectKind, subjectId],
  );
  return row?.used ?? 0;
}
