// The SQL behind "why is this client offline?": find the voucher or subscriber a search names, its
// kept Access-Request decisions, recent closed sessions and billing facts.
import type { SqlDatabase } from '@kiunga/schemas';

/** Decisions shown per search: what the AAA server keeps per login name (DECISIONS_PER_SUBJECT_MAX). */
export const DIAGNOSTIC_DECISIONS_MAX = 50;
/** Closed sessions shown: enough to see a pattern of short sessions without paging. */
export const DIAGNOSTIC_RECENT_SESSIONS_MAX = 10;

export interface DiagnosedSubject {
  kind: 'voucher' | 'subscriber';
  id: string;
  /** The name it logs in with (voucher code or username): its decisions are kept under it. */
  loginName: string;
  status: string;
  planId: string;
  expiresAt: number | null;
  deviceLimit: number;
}

export interface DecisionRow {
  decidedAt: number;
  username: string;
  nasId: string;
  macAddress: string;
  result: 'accept' | 'reject';
  reasonCode: string | null;
  /** How many equal decisions the row stands for (the AAA server coalesces repeats), from decidedAt to lastAt. */
  repeatCount: number;
  lastAt: number;
}

const VOUCHER_SUBJECT = `SELECT 'voucher' AS kind, id, code AS "loginName", status, plan_id AS "planId",
  expires_at AS "expiresAt", device_limit AS "deviceLimit" FROM vouchers`;
const SUBSCRIBER_SUBJECT = `SELECT 'subscriber' AS kind, s.id, s.username AS "loginName", s.status,
  s.plan_id AS "planId", s.expires_at AS "expiresAt", p.device_limit AS "deviceLimit"
  FROM subscribers s JOIN plans p ON p.id = s.plan_id`;

export async function findVoucherByCode(database: SqlDatabase, code: string) {
  return database.get<DiagnosedSubject>(`${VOUCHER_SUBJECT} WHERE code = ?`, [code]);
}

export async function findSubscriberByLogin(
  database: SqlDatabase,
  usernameOrPhone: string,
  phone: string | null,
) {
  return database.get<DiagnosedSubject>(
    `${SUBSCRIBER_SUBJECT} WHERE s.username = ? OR s.phone = ? OR s.phone = ? ORDER BY s.created_at DESC, s.id LIMIT 1`,
    [usernameOrPhone, usernameOrPhone, phone ?? usernameOrPhone],
  );
}

/** The login name last seen from a device: in kept decisions first, else in sessions. */
export async function loginNameOfDevice(database: SqlDatabase, macAddress: string): Promise<string | null> {
  const decided = await database.get<{ username: string }>(
    'SELECT username FROM access_decisions WHERE mac_address = ? ORDER BY id DESC LIMIT 1',
    [macAddress],
  );
  if (decided) return decided.username;
  const session = await database.get<{ username: string }>(
    `SELECT username FROM sessions WHERE lower(calling_station_id) = ? ORDER BY started_at DESC, id LIMIT 1`,
    [macAddress],
  );
  return session?.username ?? null;
}

/** Kept decisions of one login name or one device (normalised MAC), newest first. */
export async function decisionsOf(
  database: SqlDatabase,
  by: { username: string } | { macAddress: string },
): Promise<DecisionRow[]> {
  const [column, value] = 'username' in by ? ['username', by.username] : ['mac_address', by.macAddress];
  return database.all<DecisionRow>(
    `SELECT decided_at AS "decidedAt", username, nas_id AS "nasId", mac_address AS "macAddress", result,
            reason_code AS "reasonCode", repeat_count AS "repeatCount", last_at AS "lastAt"
       FROM access_decisions WHERE ${column} = ? ORDER BY id DESC LIMIT ?`,
    [value, DIAGNOSTIC_DECISIONS_MAX],
  );
}

/** Outstanding cents of invoices past their due date, and when the subscriber last paid. */
export async function overdueInvoiceIds(
  database: SqlDatabase,
  subscriberId: string,
  nowMs: number,
): Promise<string[]> {
  return database.column<string>(
    `SELECT id FROM invoices WHERE subscriber_id = ? AND due_at <= ? AND status IN ('open', 'partially_paid')`,
    [subscriberId, nowMs],
  );
}

export async function lastPaymentAt(database: SqlDatabase, subscriberId: string): Promise<number | null> {
  const row = await database.get<{ receivedAt: number | null }>(
    `SELECT MAX(received_at) AS "receivedAt" FROM payments WHERE matched_kind = 'subscriber' AND matched_id = ?`,
    [subscriberId],
  );
  return row?.receivedAt ?? null;
}

/** Access decisions last seen before `beforeMs` go (issue 12: 30 days); returns how many rows. */
export async function deleteDecisionsBefore(database: SqlDatabase, beforeMs: number): Promise<number> {
  return (await database.run('DELETE FROM access_decisions WHERE last_at < ?', [beforeMs])).changes;
}
