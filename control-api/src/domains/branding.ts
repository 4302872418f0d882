// White labelling and RADIUS settings of one ISP, kept in the shard's tenant_settings.
import {
  type Branding,
  type PlatformDatabase,
  readTenantRadiusSettings,
  readTenantSetting,
  type TenantRadiusSettings,
  type TenantShard,
  type UpdateBrandingInput,
  type UpdateRadiusSettingsInput,
  writeTenantRadiusSettings,
  writeTenantSetting,
} from '@kiunga/schemas';
import type { IspBranding } from '../views/branded-page';

const BRANDING_KEY = 'branding';

export const defaultBranding: Branding = {
  displayName: null,
  logo: null,
  primaryColor: '#0b6e4f',
  accentColor: '#f59e0b',
};

/** The ISP's branding with defaults filled in; displayName null means "use the ISP's name". */
export function readBranding(shard: TenantShard): Branding {
  const stored = readTenantSetting(shard, BRANDING_KEY);
  const value = typeof stored === 'object' && stored !== null ? (stored as Partial<Branding>) : {};
  return {
    displayName: typeof value.displayName === 'string' ? value.displayName : defaultBranding.displayName,
    logo: typeof value.logo === 'string' ? value.logo : defaultBranding.logo,
    primaryColor: typeof value.primaryColor === 'string' ? value.primaryColor : defaultBranding.primaryColor,
    accentColor: typeof value.accentColor === 'string' ? value.accentColor : defaultBranding.accentColor,
  };
}

/** Only plain hex colours reach a page: they are written into a <style> element. */
const HEX_COLOUR_PATTERN = /^#[0-9a-fA-F]{3,8}$/;

/** What a customer-facing page (captive portal, self-service) shows: name, logo, safe colours. */
export function ispBranding(shard: TenantShard, tenantName: string): IspBranding {
  const branding = readBranding(shard);
  return {
    name: branding.displayName ?? tenantName,
    logo: branding.logo,
    primaryColor: HEX_COLOUR_PATTERN.test(branding.primaryColor)
      ? branding.primaryColor
      : defaultBranding.primaryColor,
    accentColor: HEX_COLOUR_PATTERN.test(branding.accentColor)
      ? branding.accentColor
      : defaultBranding.accentColor,
  };
}

export function updateBranding(shard: TenantShard, input: UpdateBrandingInput, nowMs: number): Branding {
  const next = { ...readBranding(shard), ...input };
  writeTenantSetting(shard, BRANDING_KEY, next, nowMs);
  return next;
}

/** The settings the AAA server reads (one reader for both: schemas' readTenantRadiusSettings). */
export function readRadiusSettings(shard: TenantShard): TenantRadiusSettings {
  return readTenantRadiusSettings(shard);
}

export function updateRadiusSettings(
  shard: TenantShard,
  input: UpdateRadiusSettingsInput,
  nowMs: number,
): TenantRadiusSettings {
  writeTenantRadiusSettings(shard, input, nowMs);
  return readTenantRadiusSettings(shard);
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
