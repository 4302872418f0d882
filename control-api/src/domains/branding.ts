// White labelling and RADIUS settings of one ISP, kept in the shard's tenant_settings.
import {
  type Branding,
  defaultTenantRadiusSettings,
  type PlatformDatabase,
  type TenantRadiusSettings,
  type TenantShard,
  type UpdateBrandingInput,
  type UpdateRadiusSettingsInput,
} from '@kiunga/schemas';

const BRANDING_KEY = 'branding';

export const defaultBranding: Branding = {
  displayName: null,
  logo: null,
  primaryColor: '#0b6e4f',
  accentColor: '#f59e0b',
};

/**
 * Keys and JSON encoding the AAA server reads (aaa-server/src/store/tenant-records.ts,
 * readTenantRadiusSettings): change both together.
 */
const radiusSettingKeys = {
  idleTimeoutSeconds: 'radius.idle_timeout_seconds',
  interimIntervalSeconds: 'radius.interim_interval_seconds',
  expiredAccountPolicy: 'radius.expired_account_policy',
  walledGardenAddressList: 'radius.walled_garden_address_list',
} as const;

function readSetting(shard: TenantShard, key: string): unknown {
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

function writeSetting(shard: TenantShard, key: string, value: unknown, nowMs: number): void {
  shard
    .statement(
      `INSERT INTO tenant_settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
    .run(key, JSON.stringify(value), nowMs);
}

/** The ISP's branding with defaults filled in; displayName null means "use the ISP's name". */
export function readBranding(shard: TenantShard): Branding {
  const stored = readSetting(shard, BRANDING_KEY);
  const value = typeof stored === 'object' && stored !== null ? (stored as Partial<Branding>) : {};
  return {
    displayName: typeof value.displayName === 'string' ? value.displayName : defaultBranding.displayName,
    logo: typeof value.logo === 'string' ? value.logo : defaultBranding.logo,
    primaryColor: typeof value.primaryColor === 'string' ? value.primaryColor : defaultBranding.primaryColor,
    accentColor: typeof value.accentColor === 'string' ? value.accentColor : defaultBranding.accentColor,
  };
}

export function updateBranding(shard: TenantShard, input: UpdateBrandingInput, nowMs: number): Branding {
  const next = { ...readBranding(shard), ...input };
  writeSetting(shard, BRANDING_KEY, next, nowMs);
  return next;
}

export function readRadiusSettings(shard: TenantShard): TenantRadiusSettings {
  const positive = (key: string, fallback: number) => {
    const value = readSetting(shard, key);
    return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
  };
  const policy = readSetting(shard, radiusSettingKeys.expiredAccountPolicy);
  const addressList = readSetting(shard, radiusSettingKeys.walledGardenAddressList);
  return {
    idleTimeoutSeconds: positive(
      radiusSettingKeys.idleTimeoutSeconds,
      defaultTenantRadiusSettings.idleTimeoutSeconds,
    ),
    interimIntervalSeconds: positive(
      radiusSettingKeys.interimIntervalSeconds,
      defaultTenantRadiusSettings.interimIntervalSeconds,
    ),
    expiredAccountPolicy: policy === 'walled_garden' ? 'walled_garden' : 'reject',
    walledGardenAddressList:
      typeof addressList === 'string' && addressList.length > 0
        ? addressList
        : defaultTenantRadiusSettings.walledGardenAddressList,
  };
}

export function updateRadiusSettings(
  shard: TenantShard,
  input: UpdateRadiusSettingsInput,
  nowMs: number,
): TenantRadiusSettings {
  shard.sqlite.transaction(() => {
    for (const key of Object.keys(radiusSettingKeys) as Array<keyof typeof radiusSettingKeys>) {
      const value = input[key];
      if (value !== undefined) writeSetting(shard, radiusSettingKeys[key], value, nowMs);
    }
  })();
  return readRadiusSettings(shard);
}

export interface TenantProfile {
  id: string;
  slug: string;
  name: string;
}

/** The ISP's platform record (name, slug) for pages, scripts and print sheets. */
export function readTenantProfile(platform: PlatformDatabase, tenantId: string): TenantProfile {
  const row = platform.sqlite.prepare('SELECT id, slug, name FROM tenants WHERE id = ?').get(tenantId) as
    | TenantProfile
    | undefined;
  if (!row) throw new Error(`tenant ${tenantId} of an authenticated principal is missing`);
  return row;
}
