// What a signed-in subscriber may read about themselves: who they are, their plan and standing,
// and their recent sessions; and whom a login names. Every query names the subscriber.
import type { SqlDatabase } from '@kiunga/schemas';

/** Sessions shown on the usage page: about a month of daily reconnects, one phone screen or two. */
export const USAGE_SESSIONS_MAX = 30;
/** Statement lines shown, newest first: two years of monthly invoices and payments. */
export const STATEMENT_LINES_SHOWN_MAX = 60;
/** Invoices listed: two years of monthly invoices. */
export const INVOICES_SHOWN_MAX = 24;

export interface SubscriberProfile {
  id: string;
  username: string;
  accountNumber: string;
  fullName: string;
  phone: string | null;
  kind: string;
  status: string;
  expiresAt: number | null;
  planId: string;
  planName: string;
  planPriceCents: number;
  passwordSealed: string;
}

const profileColumns = `s.id, s.username, s.account_number AS "accountNumber", s.full_name AS "fullName",
  s.phone, s.kind, s.status, s.expires_at AS "expiresAt", s.plan_id AS "planId", p.name AS "planName",
  p.price_cents AS "planPriceCents", s.password_sealed AS "passwordSealed"`;

export async function findSubscriberProfile(
  database: SqlDatabase,
  subscriberId: string,
): Promise<SubscriberProfile | null> {
  const row = await database.get<SubscriberProfile>(
    `SELECT ${profileColumns} FROM subscribers s JOIN plans p ON p.id = s.plan_id WHERE s.id = ?`,
    [subscriberId],
  );
  return row ?? null;
}

/** The subscriber a login names: a username (exact) first, else an account number (any case). */
export async function findLoginCandidate(database: SqlDatabase, login: string): Promise<string | null> {
  const row = await database.get<{ id: string }>(
    `SELECT id FROM subscribers WHERE username = ? OR lower(account_number) = lower(?)
      ORDER BY CASE WHEN username = ? THEN 0 ELSE 1 END, id LIMIT 1`,
    [login, login, login],
  );
  return row?.id ?? null;
}

export interface UsageSession {
  startedAt: number;
  stoppedAt: number | null;
  isOpen: boolean;
  /** From the subscriber's side: download is what the NAS sent them (Acct-Output-Octets). */
  downloadOctets: number;
  uploadOctets: number;
  sessionTimeSeconds: number;
}

export async function recentSessions(database: SqlDatabase, subscriberId: string): Promise<UsageSession[]> {
  const rows = await database.all<Omit<UsageSession, 'isOpen'> & { status: string }>(
    `SELECT started_at AS "startedAt", stopped_at AS "stoppedAt", status, output_octets AS "downloadOctets",
            input_octets AS "uploadOctets", session_time_seconds AS "sessionTimeSeconds"
       FROM sessions WHERE subject_kind = 'subscriber' AND subject_id = ?
      ORDER BY started_at DESC, id DESC LIMIT ?`,
    [subscriberId, USAGE_SESSIONS_MAX],
  );
  return rows.map(({ status, ...row }) => ({ ...row, isOpen: status === 'open' }));
}

/**
 * Keeps the language the subscriber chose on the customer portal, for the SMS sent to them (issue 14);
 * writes only when it changed.
 */
export async function saveSubscriberLanguage(
  database: SqlDatabase,
  subscriberId: string,
  language: 'en' | 'sw',
): Promise<void> {
  await database.run(
    'UPDATE subscribers SET language = ? WHERE id = ? AND (language IS NULL OR language <> ?)',
    [language, subscriberId, language],
  );
}
