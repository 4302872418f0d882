// /api/v1/nas: the ISP's MikroTiks — register, edit, rotate the secret, RouterOS script, hotspot login page.
import {
  createNasInputSchema,
  type NasOutput,
  nasOutputSchema,
  nasWithSecretOutputSchema,
  pageResponseSchema,
  radiusServerAddressesSchema,
  updateNasInputSchema,
} from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { pageQuerySchema } from '../../kernel/pagination';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { parseJsonBody, parseQuery } from '../../kernel/validation';
import { readBranding, readRadiusSettings, readTenantProfile } from '../branding/service';
import { nasSnmpPatchShape, saveNasSnmpPatch } from '../monitoring/service';
import { renderHotspotLoginPage } from './routeros/hotspot-login';
import { renderRouterosScript } from './routeros/routeros-script';
import { createNas, deleteNas, getNas, listNas, rotateNasSecret, updateNas } from './service';

const RADIUS_AUTH_PORT_DEFAULT = 1812;
const RADIUS_ACCT_PORT_DEFAULT = 1813;

/** The NAS fields, and `snmp` for router health (issue 12; stored by features/monitoring). */
const patchNasInputSchema = updateNasInputSchema.extend(nasSnmpPatchShape);

const scriptQuerySchema = z.object({
  /**
   * The IP address(es) this router reaches Kiunga's RADIUS server at, comma-separated, the first the
   * primary (default: KIUNGA_RADIUS_PUBLIC_ADDRESS, else the public URL's host when it is an IP).
   */
  radiusAddress: radiusServerAddressesSchema.optional(),
});

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

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/nas',
    summary: 'List NAS devices',
    tag: 'nas',
    permission: 'nas.read',
    query: pageQuerySchema,
    response: pageResponseSchema(nasOutputSchema),
  },
  {
    method: 'post',
    path: '/api/v1/nas',
    summary: 'Register a NAS; the secret is returned only here',
    tag: 'nas',
    permission: 'nas.write',
    body: createNasInputSchema,
    response: nasWithSecretOutputSchema,
    responseStatus: 201,
  },
  {
    method: 'get',
    path: '/api/v1/nas/{id}',
    summary: 'Get a NAS',
    tag: 'nas',
    permission: 'nas.read',
    response: nasOutputSchema,
  },
  {
    method: 'patch',
    path: '/api/v1/nas/{id}',
    summary: 'Edit a NAS',
    tag: 'nas',
    permission: 'nas.write',
    body: patchNasInputSchema,
    response: nasOutputSchema,
  },
  {
    method: 'delete',
    path: '/api/v1/nas/{id}',
    summary: 'Remove a NAS',
    tag: 'nas',
    permission: 'nas.write',
    response: nasOutputSchema,
  },
  {
    method: 'post',
    path: '/api/v1/nas/{id}/rotate-secret',
    summary: 'New secret, returned once',
    tag: 'nas',
    permission: 'nas.write',
    response: nasWithSecretOutputSchema,
  },
  {
    method: 'get',
    path: '/api/v1/nas/{id}/routeros-script',
    summary: 'RouterOS script pointing the router at Kiunga (secret as placeholder)',
    tag: 'nas',
    permission: 'nas.read',
    query: scriptQuerySchema,
    responseContentType: 'text/plain',
  },
  {
    method: 'get',
    path: '/api/v1/nas/{id}/hotspot-login.html',
    summary: 'Hotspot login.html forwarding clients to the captive portal',
    tag: 'nas',
    permission: 'nas.read',
    responseContentType: 'text/html',
  },
]);

export function nasRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { secretBox, clock } = dependencies;
  const platform = dependencies.databases.platform;

  const scriptFor = async (
    context: Context<AppEnv>,
    nas: NasOutput,
    secret: string | null,
    radiusAddresses?: readonly string[],
  ): Promise<string> => {
    const tenant = await readTenantProfile(platform, tenantIdOf(context));
    const settings = await readRadiusSettings(tenantDatabaseOf(context, dependencies));
    return renderRouterosScript({
      nasName: nas.name,
      radiusAddresses: radiusAddresses ?? defaultRadiusAddresses(dependencies),
      authPort: dependencies.radius?.authPort ?? RADIUS_AUTH_PORT_DEFAULT,
      acctPort: dependencies.radius?.acctPort ?? RADIUS_ACCT_PORT_DEFAULT,
      coaPort: nas.coaPort,
      secret,
      interimIntervalSeconds: settings.interimIntervalSeconds,
      portalUrl: `${dependencies.publicUrl}/portal/${tenant.slug}`,
      payPageUrl: `${dependencies.publicUrl}/account/${tenant.slug}`,
      loginPageUrl: `${dependencies.publicUrl}/api/v1/nas/${nas.id}/hotspot-login.html`,
      requireMessageAuthenticator: nas.requireMessageAuthenticator,
      hotspotDnsName: nas.hotspotDnsName,
      isHotspotHttps: nas.isHotspotHttps,
    });
  };

  routes.get('/', requirePermission('nas.read'), async (context) => {
    const page = parseQuery(context, pageQuerySchema);
    return context.json(await listNas(platform, tenantIdOf(context), page));
  });

  routes.post('/', requirePermission('nas.write'), async (context) => {
    const input = await parseJsonBody(context, createNasInputSchema);
    const tenantId = tenantIdOf(context);
    const { nas, secret } = await createNas(platform, secretBox, tenantId, input, clock.now());
    await dependencies.aaa.reloadNasRegistry();
    await recordAudit(dependencies, context, { action: 'nas.create', target: nas.id, detail: input });
    return context.json({ ...nas, secret, routerosScript: await scriptFor(context, nas, secret) }, 201);
  });

  routes.get('/:id', requirePermission('nas.read'), async (context) =>
    context.json(await getNas(platform, tenantIdOf(context), context.req.param('id'))),
  );

  routes.patch('/:id', requirePermission('nas.write'), async (context) => {
    const { snmp, ...input } = await parseJsonBody(context, patchNasInputSchema);
    const nas = await updateNas(platform, tenantIdOf(context), context.req.param('id'), input, clock.now());
    const snmpDetail = await saveNasSnmpPatch(dependencies, tenantIdOf(context), nas.id, snmp);
    await dependencies.aaa.reloadNasRegistry();
    await recordAudit(dependencies, context, {
      action: 'nas.update',
      target: nas.id,
      detail: { ...input, ...snmpDetail },
    });
    return context.json(nas);
  });

  routes.delete('/:id', requirePermission('nas.write'), async (context) => {
    const nas = await deleteNas(platform, tenantIdOf(context), context.req.param('id'));
    await dependencies.aaa.reloadNasRegistry();
    await recordAudit(dependencies, context, {
      action: 'nas.delete',
      target: nas.id,
      detail: { name: nas.name },
    });
    return context.json(nas);
  });

  routes.post('/:id/rotate-secret', requirePermission('nas.write'), async (context) => {
    const tenantId = tenantIdOf(context);
    const { nas, secret } = await rotateNasSecret(
      platform,
      secretBox,
      tenantId,
      context.req.param('id'),
      clock.now(),
    );
    await dependencies.aaa.reloadNasRegistry();
    await recordAudit(dependencies, context, { action: 'nas.rotate_secret', target: nas.id });
    return context.json({ ...nas, secret, routerosScript: await scriptFor(context, nas, secret) });
  });

  routes.get('/:id/routeros-script', requirePermission('nas.read'), async (context) => {
    const { radiusAddress } = parseQuery(context, scriptQuerySchema);
    const tenantId = tenantIdOf(context);
    const nas = await getNas(platform, tenantId, context.req.param('id'));
    return context.text(await scriptFor(context, nas, null, radiusAddress), 200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': `attachment; filename="kiunga-${nas.id}.rsc"`,
    });
  });

  routes.get('/:id/hotspot-login.html', requirePermission('nas.read'), async (context) => {
    const tenantId = tenantIdOf(context);
    const nas = await getNas(platform, tenantId, context.req.param('id'));
    const tenant = await readTenantProfile(platform, tenantId);
    const branding = await readBranding(tenantDatabaseOf(context, dependencies));
    return context.html(
      renderHotspotLoginPage({
        portalUrl: `${dependencies.publicUrl}/portal/${tenant.slug}`,
        nasId: nas.id,
        ispName: branding.displayName ?? tenant.name,
      }),
    );
  });

  return routes;
}
