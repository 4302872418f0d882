// An ISP's settings in its tenant database's tenant_settings table: one JSON value per key, read and
// written here only, and the RADIUS settings that both the AAA server and the control API use.
import type { SqlDatabase } from './db/sql-database';
import { defaultTenantRadiusSettings, type TenantRadiusSettings } from './domain';

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The stored value, or undefined when the key is absent or its JSON is unreadable. */
export async function readTenantSetting(database: SqlDatabase, key: string): Promise<unknown> {
  const row = await database.get<{ value: string }>('SELECT value FROM tenant_settings WHERE key = ?', [key]);
  return row ? parsedOrUndefined(row.value) : undefined;
}

export async function writeTenantSetting(
  database: SqlDatabase,
  key: string,
  value: unknown,
  nowMs: number,
): Promise<void> {
  await database.run(
    `INSERT INTO tenant_settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [key, JSON.stringify(value), nowMs],
  );
}

export const tenantRadiusSettingKeys = {
  idleTimeoutSeconds: 'radius.idle_timeout_seconds',
  interimIntervalSeconds: 'radius.interim_interval_seconds',
  expiredAccountPolicy: 'radius.expired_account_policy',
  walledGardenAddressList: 'radius.walled_garden_address_list',
  clientLanguage: 'language.default',
} as const satisfies Record<keyof TenantRadiusSettings, string>;

const RADIUS_SETTINGS_SQL = `SELECT key, value FROM tenant_settings WHERE key LIKE 'radius.%' OR key = '${tenantRadiusSettingKeys.clientLanguage}'`;

function positiveIntegerOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** The RADIUS settings from their rows, with defaults for anything absent or invalid. */
function radiusSettingsOf(rows: ReadonlyArray<{ key: string; value: string }>): TenantRadiusSettings {
  const values = new Map<string, unknown>();
  // An unreadable value falls back to its default, like an absent one.
  for (const row of rows) values.set(row.key, parsedOrUndefined(row.value));
  const policy = values.get(tenantRadiusSettingKeys.expiredAccountPolicy);
  const addressList = values.get(tenantRadiusSettingKeys.walledGardenAddressList);
  const language = values.get(tenantRadiusSettingKeys.clientLanguage);
  return {
    idleTimeoutSeconds: positiveIntegerOr(
      values.get(tenantRadiusSettingKeys.idleTimeoutSeconds),
      defaultTenantRadiusSettings.idleTimeoutSeconds,
    ),
    interimIntervalSeconds: positiveIntegerOr(
      values.get(tenantRadiusSettingKeys.interimIntervalSeconds),
      defaultTenantRadiusSettings.interimIntervalSeconds,
    ),
    expiredAccountPolicy: policy === 'walled_garden' ? 'walled_garden' : 'reject',
    walledGardenAddressList:
      typeof addressList === 'string' && addressList.length > 0
        ? addressList
        : defaultTenantRadiusSettings.walledGardenAddressList,
    clientLanguage: language === 'sw' ? 'sw' : 'en',
  };
}

/** The RADIUS settings with defaults for anything absent or invalid; one query for all keys. */
export async function readTenantRadiusSettings(database: SqlDatabase): Promise<TenantRadiusSettings> {
  return radiusSettingsOf(await database.all<{ key: string; value: string }>(RADIUS_SETTINGS_SQL));
}

/**
 * Writes the given settings (others stay as they are) in one transaction, and moves the tenant's change
 * generation in it, so every AAA server's next Access-Request reads them (as it does vouchers, subscribers
 * and plans, whose triggers move the same counter and, on PostgreSQL, notify; tenant migration 0001).
 */
export async function writeTenantRadiusSettings(
  database: SqlDatabase,
  input: Partial<TenantRadiusSettings>,
  nowMs: number,
): Promise<void> {
  await database.transaction(async (transaction) => {
    for (const field of Object.keys(tenantRadiusSettingKeys) as Array<keyof TenantRadiusSettings>) {
      const value = input[field];
      if (value !== undefined)
        await writeTenantSetting(transaction, tenantRadiusSettingKeys[field], value, nowMs);
    }
    await transaction.run(`UPDATE change_generation SET value = value + 1 WHERE name = 'auth'`);
    // The triggers' notification (delivered on commit); current_schema() is the tenant's schema,
    // the only one on the connection's search_path (docs/database.md).
    if (transaction.dialect === 'postgres')
      await transaction.get(`SELECT pg_notify('kiunga_changes', current_schema())`);
  });
}
