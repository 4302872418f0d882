// White labelling and RADIUS settings of one ISP, kept in its tenant database's tenant_settings.
import {
  type Branding,
  readTenantRadiusSettings,
  readTenantSetting,
  type SqlDatabase,
  type TenantRadiusSettings,
  type UpdateBrandingInput,
  type UpdateRadiusSettingsInput,
  writeTenantRadiusSettings,
  writeTenantSetting,
} from '@kiunga/schemas';
import type { IspBranding } from '../../console/branded-page';
import type { Auditor } from '../../kernel/audit';

const BRANDING_KEY = 'branding';

export const defaultBranding: Branding = {
  displayName: null,
  logo: null,
  primaryColor: '#0b6e4f',
  accentColor: '#f59e0b',
};

/** The ISP's branding with defaults filled in; displayName null means "use the ISP's name". */
export async function readBranding(database: SqlDatabase): Promise<Branding> {
  const stored = await readTenantSetting(database, BRANDING_KEY);
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
export async function ispBranding(database: SqlDatabase, tenantName: string): Promise<IspBranding> {
  const branding = await readBranding(database);
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

export async function updateBranding(
  database: SqlDatabase,
  input: UpdateBrandingInput,
  nowMs: number,
  audit: Auditor,
): Promise<Branding> {
  // One transaction: two edits of different fields at once both stay.
  const branding = await database.transaction(async (transaction) => {
    const next = { ...(await readBranding(transaction)), ...input };
    await writeTenantSetting(transaction, BRANDING_KEY, next, nowMs);
    return next;
  });
  // The log keeps that the logo changed, not the image itself.
  const { logo, ...rest } = input;
  await audit({
    action: 'branding.update',
    detail: { ...rest, ...(logo === undefined ? {} : { logoChanged: true }) },
  });
  return branding;
}

/** The settings the AAA server reads (one reader for both: schemas' readTenantRadiusSettings). */
export function readRadiusSettings(database: SqlDatabase): Promise<TenantRadiusSettings> {
  return readTenantRadiusSettings(database);
}

export async function updateRadiusSettings(
  database: SqlDatabase,
  input: UpdateRadiusSettingsInput,
  nowMs: number,
  audit: Auditor,
): Promise<TenantRadiusSettings> {
  await writeTenantRadiusSettings(database, input, nowMs);
  await audit({ action: 'settings.radius.update', detail: input });
  return readTenantRadiusSettings(database);
}

export interface TenantProfile {
  id: string;
  slug: string;
  name: string;
}

/** The ISP's platform record (name, slug) for pages, scripts and print sheets. */
export async function readTenantProfile(platform: SqlDatabase, tenantId: string): Promise<TenantProfile> {
  const row = await platform.get<TenantProfile>('SELECT id, slug, name FROM tenants WHERE id = ?', [
    tenantId,
  ]);
  if (!row) throw new Error(`tenant ${tenantId} of an authenticated principal is missing`);
  return row;
}
