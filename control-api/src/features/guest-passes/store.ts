// Guest passes in the ISP's shard: the settings (tenant_settings key `guest_passes`), the history the
// decision needs, and the issued passes (password sealed like subscribers', for CHAP).
import { newId, readTenantSetting, type SqlDatabase, writeTenantSetting } from '@kiunga/schemas';
import {
  defaultGuestPassSettings,
  type GuestPass,
  type GuestPassHistory,
  type GuestPassLookback,
  type GuestPassSettings,
  guestPassSettingsSchema,
} from './core/index';

const GUEST_PASS_SETTING_KEY = 'guest_passes';

/** The ISP's settings; the defaults (off) when none are stored or the stored value no longer parses. */
export async function readGuestPassSettings(database: SqlDatabase): Promise<GuestPassSettings> {
  const parsed = guestPassSettingsSchema.safeParse(await readTenantSetting(database, GUEST_PASS_SETTING_KEY));
  return parsed.success ? parsed.data : defaultGuestPassSettings;
}

export async function writeGuestPassSettings(
  database: SqlDatabase,
  settings: GuestPassSettings,
  nowMs: number,
): Promise<void> {
  await writeTenantSetting(database, GUEST_PASS_SETTING_KEY, settings, nowMs);
}

/** What `decideGuestPass` needs, over the windows of `guestPassLookback`; read inside the grant's transaction. */
export async function readGuestPassHistory(
  database: SqlDatabase,
  lookback: GuestPassLookback,
  request: { readonly mac: string; readonly phone?: string },
): Promise<GuestPassHistory> {
  const lastForMac = await database.get<{ at: number | null }>(
    'SELECT MAX(issued_at) AS "at" FROM guest_passes WHERE mac_address = ? AND issued_at > ?',
    [request.mac, lookback.deviceSinceMs],
  );
  const lastForPhone =
    lookback.phoneSinceMs === null || request.phone === undefined
      ? undefined
      : await database.get<{ at: number | null }>(
          'SELECT MAX(issued_at) AS "at" FROM guest_passes WHERE phone = ? AND issued_at > ?',
          [request.phone, lookback.phoneSinceMs],
        );
  const today = await database.get<{ count: number }>(
    'SELECT COUNT(*) AS "count" FROM guest_passes WHERE issued_at >= ? AND issued_at < ?',
    [lookback.today.startMs, lookback.today.endMs],
  );
  return {
    lastIssuedForMacMs: numberOrNull(lastForMac?.at),
    lastIssuedForPhoneMs: numberOrNull(lastForPhone?.at),
    issuedTodayCount: Number(today?.count ?? 0),
  };
}

function numberOrNull(value: number | string | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export async function insertGuestPass(
  database: SqlDatabase,
  pass: GuestPass,
  passwordSealed: string,
): Promise<string> {
  const id = newId('guestPass');
  await database.run(
    `INSERT INTO guest_passes (id, username, password_sealed, mac_address, phone, issued_at, expires_at, rate_limit)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      pass.username,
      passwordSealed,
      pass.mac,
      pass.phone,
      pass.issuedAtMs,
      pass.expiresAtMs,
      pass.rateLimit,
    ],
  );
  return id;
}
