// Setting up an ISP's routers: every registry change reloads the AAA server's NAS list and is audited;
// a new or rotated secret comes back with the RouterOS script that carries it, and the hotspot login page.
import {
  type CreateNasInput,
  type NasOutput,
  radiusServerAddressesSchema,
  type UpdateNasInput,
} from '@kiunga/schemas';
import type { SnmpSettings } from '../../integrations/snmp';
import type { AuditEntry, Auditor } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { readBranding, readRadiusSettings, readTenantProfile } from '../branding/service';
import { portalUrlsOf } from '../domains/service';
import { saveNasSnmpPatch } from '../monitoring/service';
import { renderHotspotLoginPage } from './routeros/hotspot-login';
import { renderRouterosScript } from './routeros/routeros-script';
import { createNas, deleteNas, getNas, rotateNasSecret, updateNas } from './service';

const RADIUS_AUTH_PORT_DEFAULT = 1812;
const RADIUS_ACCT_PORT_DEFAULT = 1813;

/** The ISP a request acts for, and where its changes are audited. */
export interface NasActor {
  tenantId: string;
  audit: Auditor;
}

/** A router's registry row with its secret, shown once, and the script that configures it. */
export type NasWithSecret = NasOutput & { secret: string; routerosScript: string };

/**
 * Where routers send RADIUS unless the request says: the configured addresses, else the public URL's
 * host when it is an IP address (one machine serves both). A host name is never used: RouterOS's
 * /radius address= takes only an IP address, so the script then says the address is missing.
 */
export function defaultRadiusAddresses(dependencies: ApiDependencies): readonly string[] | null {
  const configured = dependencies.radius?.addresses ?? [];
  if (configured.length > 0) return configured;
  const host = new URL(dependencies.publicUrl).hostname.replace(/^\[(.*)\]$/, '$1');
  return radiusServerAddressesSchema.safeParse(host).data ?? null;
}

/** The RouterOS script pointing one router at Kiunga; without a secret it carries a placeholder. */
export async function routerosScriptFor(
  dependencies: ApiDependencies,
  tenantId: string,
  nas: NasOutput,
  secret: string | null,
  radiusAddresses?: readonly string[],
): Promise<string> {
  const tenant = await readTenantProfile(dependencies.databases.platform, tenantId);
  const settings = await readRadiusSettings(dependencies.databases.forTenant(tenantId));
  const { portalUrl, accountUrl } = await portalUrlsOf(dependencies, tenant);
  return renderRouterosScript({
    nasName: nas.name,
    radiusAddresses: radiusAddresses ?? defaultRadiusAddresses(dependencies),
    authPort: dependencies.radius?.authPort ?? RADIUS_AUTH_PORT_DEFAULT,
    acctPort: dependencies.radius?.acctPort ?? RADIUS_ACCT_PORT_DEFAULT,
    coaPort: nas.coaPort,
    secret,
    interimIntervalSeconds: settings.interimIntervalSeconds,
    portalUrl,
    payPageUrl: accountUrl,
    loginPageUrl: `${dependencies.publicUrl}/api/v1/nas/${nas.id}/hotspot-login.html`,
    requireMessageAuthenticator: nas.requireMessageAuthenticator,
    hotspotDnsName: nas.hotspotDnsName,
    isHotspotHttps: nas.isHotspotHttps,
  });
}

/** The script of a registered router, and the file name it downloads as. */
export async function routerosScriptOf(
  dependencies: ApiDependencies,
  tenantId: string,
  nasId: string,
  radiusAddresses?: readonly string[],
): Promise<{ fileName: string; script: string }> {
  const nas = await getNas(dependencies.databases.platform, tenantId, nasId);
  return {
    fileName: `kiunga-${nas.id}.rsc`,
    script: await routerosScriptFor(dependencies, tenantId, nas, null, radiusAddresses),
  };
}

/** The hotspot's login.html for one router, forwarding its clients to the ISP's captive portal. */
export async function hotspotLoginPageOf(
  dependencies: ApiDependencies,
  tenantId: string,
  nasId: string,
): Promise<string> {
  const platform = dependencies.databases.platform;
  const nas = await getNas(platform, tenantId, nasId);
  const tenant = await readTenantProfile(platform, tenantId);
  const branding = await readBranding(dependencies.databases.forTenant(tenantId));
  return renderHotspotLoginPage({
    portalUrl: (await portalUrlsOf(dependencies, tenant)).portalUrl,
    nasId: nas.id,
    ispName: branding.displayName ?? tenant.name,
  });
}

/** Every registry change: the AAA server reloads its NAS list, then the change is audited. */
async function reloadAndAudit(
  dependencies: ApiDependencies,
  actor: NasActor,
  entry: AuditEntry,
): Promise<void> {
  await dependencies.aaa.reloadNasRegistry();
  await actor.audit(entry);
}

async function withSecretAndScript(
  dependencies: ApiDependencies,
  tenantId: string,
  keyed: { nas: NasOutput; secret: string },
): Promise<NasWithSecret> {
  const routerosScript = await routerosScriptFor(dependencies, tenantId, keyed.nas, keyed.secret);
  return { ...keyed.nas, secret: keyed.secret, routerosScript };
}

export async function registerNas(
  dependencies: ApiDependencies,
  actor: NasActor,
  input: CreateNasInput,
): Promise<NasWithSecret> {
  const created = await createNas(
    dependencies.databases.platform,
    dependencies.secretBox,
    actor.tenantId,
    input,
    dependencies.clock.now(),
  );
  await reloadAndAudit(dependencies, actor, { action: 'nas.create', target: created.nas.id, detail: input });
  return withSecretAndScript(dependencies, actor.tenantId, created);
}

export async function editNas(
  dependencies: ApiDependencies,
  actor: NasActor,
  nasId: string,
  { snmp, ...input }: UpdateNasInput & { snmp?: SnmpSettings | null },
): Promise<NasOutput> {
  const nas = await updateNas(
    dependencies.databases.platform,
    actor.tenantId,
    nasId,
    input,
    dependencies.clock.now(),
  );
  // Router health's SNMP settings (issue 12) are kept by features/monitoring, the community sealed.
  const snmpDetail = await saveNasSnmpPatch(dependencies, actor.tenantId, nas.id, snmp);
  await reloadAndAudit(dependencies, actor, {
    action: 'nas.update',
    target: nas.id,
    detail: { ...input, ...snmpDetail },
  });
  return nas;
}

export async function removeNas(
  dependencies: ApiDependencies,
  actor: NasActor,
  nasId: string,
): Promise<NasOutput> {
  const nas = await deleteNas(dependencies.databases.platform, actor.tenantId, nasId);
  await reloadAndAudit(dependencies, actor, {
    action: 'nas.delete',
    target: nas.id,
    detail: { name: nas.name },
  });
  return nas;
}

export async function rotateSecretOfNas(
  dependencies: ApiDependencies,
  actor: NasActor,
  nasId: string,
): Promise<NasWithSecret> {
  const rotated = await rotateNasSecret(
    dependencies.databases.platform,
    dependencies.secretBox,
    actor.tenantId,
    nasId,
    dependencies.clock.now(),
  );
  await reloadAndAudit(dependencies, actor, { action: 'nas.rotate_secret', target: rotated.nas.id });
  return withSecretAndScript(dependencies, actor.tenantId, rotated);
}
