// An ISP's TR-069 settings: its own GenieACS NBI (URL, proxy username, password sealed with the master
// key and never read back) or, when it has none, the platform's shared ACS (KIUNGA_GENIEACS_URL), where it
// sees only the CPEs tagged with its tenant; and the plans whose subscribers' CPEs get PPPoE pushed.
import {
  KiungaError,
  readTenantSetting,
  type SecretBox,
  type SqlDatabase,
  writeTenantSetting,
} from '@kiunga/schemas';
import { z } from 'zod';
import { GenieAcsClient } from '../../integrations/genieacs/index';
import type { ApiDependencies } from '../../kernel/dependencies';
import { checkedOutboundUrl, destinationPolicyOf } from '../webhooks/service';

/** Sealed JSON of the ISP's own ACS. */
const OWN_ACS_SETTING_KEY = 'genieacs.config';
/** JSON array of plan ids (not secret). */
const PROVISIONING_PLANS_SETTING_KEY = 'genieacs.pppoe_plans';
/** A URL as long as browsers take; an NBI URL is short. */
const ACS_URL_CHARS_MAX = 2048;
/** Basic-auth credentials of the proxy in front of the NBI (RFC 7617 sets no limit; these are generous). */
const ACS_CREDENTIAL_CHARS_MAX = 256;
/** More plans than any ISP sells. */
const PROVISIONING_PLANS_MAX = 100;

export const genieAcsSettingsInputSchema = z.object({
  url: z.string().trim().min(1).max(ACS_URL_CHARS_MAX),
  username: z.string().min(1).max(ACS_CREDENTIAL_CHARS_MAX).optional(),
  /** Left out with a username: the stored password is kept. */
  password: z.string().min(1).max(ACS_CREDENTIAL_CHARS_MAX).optional(),
  /** PPPoE credentials are pushed to the bound CPEs of subscribers on these plans. */
  pppoeProvisioningPlanIds: z.array(z.string().min(1).max(64)).max(PROVISIONING_PLANS_MAX).optional(),
});
export type GenieAcsSettingsInput = z.infer<typeof genieAcsSettingsInputSchema>;

const ownAcsSchema = z.object({
  url: z.string(),
  username: z.string().nullable(),
  password: z.string().nullable(),
});
type OwnAcs = z.infer<typeof ownAcsSchema>;

/** What may be read back: never the password. */
export const genieAcsSettingsViewSchema = z.object({
  /** own: the ISP's GenieACS; shared: the platform's, limited to this ISP's tagged CPEs; none. */
  source: z.enum(['own', 'shared', 'none']),
  url: z.string().nullable(),
  username: z.string().nullable(),
  hasPassword: z.boolean(),
  pppoeProvisioningPlanIds: z.array(z.string()),
});
export type GenieAcsSettingsView = z.infer<typeof genieAcsSettingsViewSchema>;

/** The ACS a tenant's calls go to; `isShared` means every device is checked against the tenant tag. */
export interface TenantAcs {
  client: GenieAcsClient;
  isShared: boolean;
}

async function readOwnAcs(secretBox: SecretBox, database: SqlDatabase): Promise<OwnAcs | null> {
  const sealed = await readTenantSetting(database, OWN_ACS_SETTING_KEY);
  if (typeof sealed !== 'string') return null;
  const parsed = ownAcsSchema.safeParse(JSON.parse(secretBox.open(sealed)));
  return parsed.success ? parsed.data : null;
}

export async function readProvisioningPlanIds(database: SqlDatabase): Promise<string[]> {
  const value = await readTenantSetting(database, PROVISIONING_PLANS_SETTING_KEY);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

type AcsDependencies = Pick<ApiDependencies, 'secretBox' | 'sharedGenieAcs'>;

export async function genieAcsSettingsOf(
  dependencies: AcsDependencies,
  database: SqlDatabase,
): Promise<GenieAcsSettingsView> {
  const own = await readOwnAcs(dependencies.secretBox, database);
  const pppoeProvisioningPlanIds = await readProvisioningPlanIds(database);
  if (own) {
    return {
      source: 'own',
      url: own.url,
      username: own.username,
      hasPassword: own.password !== null,
      pppoeProvisioningPlanIds,
    };
  }
  // The platform's ACS address and credentials are the operator's, not shown to ISPs.
  return {
    source: dependencies.sharedGenieAcs ? 'shared' : 'none',
    url: null,
    username: null,
    hasPassword: false,
    pppoeProvisioningPlanIds,
  };
}

export async function saveGenieAcsSettings(
  dependencies: AcsDependencies & Pick<ApiDependencies, 'clock' | 'webhooksAllowPrivate'>,
  database: SqlDatabase,
  input: GenieAcsSettingsInput,
): Promise<GenieAcsSettingsView> {
  // The ISP chooses where Kiunga connects: checked like a webhook URL (https, public address, unless
  // KIUNGA_WEBHOOKS_ALLOW_PRIVATE); no trailing slash, as the client appends paths.
  const checked = await checkedOutboundUrl(input.url, destinationPolicyOf(dependencies), 'GenieACS URL');
  const url = checked.replace(/\/+$/, '');
  const existing = await readOwnAcs(dependencies.secretBox, database);
  const username = input.username ?? null;
  const password = username === null ? null : (input.password ?? existing?.password ?? null);
  if ((username === null) !== (password === null)) {
    throw new KiungaError(
      'validation_failed',
      'Give both the username and the password of the NBI proxy, or neither.',
    );
  }
  const nowMs = dependencies.clock.now();
  const own: OwnAcs = { url, username, password };
  await writeTenantSetting(
    database,
    OWN_ACS_SETTING_KEY,
    dependencies.secretBox.seal(JSON.stringify(own)),
    nowMs,
  );
  if (input.pppoeProvisioningPlanIds !== undefined) {
    await writeTenantSetting(database, PROVISIONING_PLANS_SETTING_KEY, input.pppoeProvisioningPlanIds, nowMs);
  }
  return genieAcsSettingsOf(dependencies, database);
}

/** Back to the platform's shared ACS (or none): the ISP's own settings go. */
export async function removeGenieAcsSettings(
  dependencies: AcsDependencies,
  database: SqlDatabase,
): Promise<GenieAcsSettingsView> {
  await database.run('DELETE FROM tenant_settings WHERE key = ?', [OWN_ACS_SETTING_KEY]);
  return genieAcsSettingsOf(dependencies, database);
}

/** The ACS this tenant's calls go to, or genieacs_not_configured. */
export async function tenantAcsOf(dependencies: AcsDependencies, database: SqlDatabase): Promise<TenantAcs> {
  const own = await readOwnAcs(dependencies.secretBox, database);
  if (own) {
    return {
      client: new GenieAcsClient({
        baseUrl: own.url,
        ...(own.username ? { username: own.username, password: own.password ?? '' } : {}),
      }),
      isShared: false,
    };
  }
  const shared = dependencies.sharedGenieAcs;
  if (!shared) throw new KiungaError('genieacs_not_configured');
  return {
    client: new GenieAcsClient({
      baseUrl: shared.url,
      ...(shared.username ? { username: shared.username, password: shared.password ?? '' } : {}),
    }),
    isShared: true,
  };
}
