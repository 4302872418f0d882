// An ISP's settings in its shard's tenant_settings table: one JSON value per key, read and written
// here only, and the RADIUS settings that both the AAA server and the control API use.
import { defaultTenantRadiusSettings, type TenantRadiusSettings } from './domain';
import type { TenantShard } from './shard-registry';

/** The stored value, or undefined when the key is absent or its JSON is unreadable. */
export function readTenantSetting(shard: TenantShard, key: string): unknown {
  const row = shard.statement('SELECT value FROM tenant_settings WHERE key = ?').get(key) as
    | { value: string }
    | undefined;
  if (!row) return undefined;
  try {
    return JSON.parse(row.value) as unknown;
  } catch {
    return undefined;
  }
}

export function writeTenantSetting(shard: TenantShard, key: string, value: unknown, nowMs: number): void {
  shard
    .statement(
      `INSERT INTO tenant_settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
    .run(key, JSON.stringify(value), nowMs);
}

export const tenantRadiusSettingKeys = {
  idleTimeoutSeconds: 'radius.idle_timeout_seconds',
  interimIntervalSeconds: 'radius.interim_interval_seconds',
  expiredAccountPolicy: 'radius.expired_account_policy',
  walledGardenAddressList: 'radius.walled_garden_address_list',
} as const satisfies Record<keyof TenantRadiusSettings, string>;

function positiveIntegerOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** The RADIUS settings with defaults for anything absent or invalid; one query for all keys. */
export function readTenantRadiusSettings(shard: TenantShard): TenantRadiusSettings {
  const rows = shard
    .statement(`SELECT key, value FROM tenant_settings WHERE key LIKE 'radius.%'`)
    .all() as Array<{
    key: string;
    value: string;
  }>;
  const values = new Map<string, unknown>();
  for (const row of rows) {
    try {
      values.set(row.key, JSON.parse(row.value));
    } catch {
      // An unreadable value falls back to its default, like an absent one.
    }
  }
  const policy = values.get(tenantRadiusSettingKeys.expiredAccountPolicy);
  const addressList = values.get(tenantRadiusSettingKeys.walledGardenAddressList);
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
  };
}

/**
 * Writes the given settings (others stay as they are) in one transaction, and moves the shard's change
 * generation in it, so every AAA server's next Access-Request reads them (as it does vouchers, subscribers
 * and plans, whose triggers move the same counter; tenant migration 0001).
 */
export function writeTenantRadiusSettings(
  shard: TenantShard,
  input: Partial<TenantRadiusSettings>,
  nowMs: number,
): void {
  shard.sqlite.transaction(() => {
    for (const field of Object.keys(tenantRadiusSettingKeys) as Array<keyof TenantRadiusSettings>) {
      const value = input[field];
      if (value !== undefined) writeTenantSetting(shard, tenantRadiusSettingKeys[field], value, nowMs);
    }
    shard.statement(`UPDATE change_generation SET value = value + 1 WHERE name = 'auth'`).run();
  })();
}
