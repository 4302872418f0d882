// /api/v1/nas: the ISP's MikroTiks — register, edit, rotate the secret, RouterOS script, hotspot login page.
import {
  createNasInputSchema,
  nasOutputSchema,
  nasWithSecretOutputSchema,
  pageResponseSchema,
  radiusServerAddressesSchema,
  updateNasInputSchema,
} from '@kiunga/schemas';
import type { Context } from 'hono';
import { z } from 'zod';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { pageQuerySchema } from '../../kernel/pagination';
import { routeGroup } from '../../kernel/route';
import { idParamsSchema } from '../../kernel/route-params';
import { tenantIdOf } from '../../kernel/tenant-access';
import { nasSnmpPatchShape } from '../monitoring/service';
import { getNas, listNas } from './service';
import {
  editNas,
  hotspotLoginPageOf,
  type NasActor,
  registerNas,
  removeNas,
  rotateSecretOfNas,
  routerosScriptOf,
} from './setup';

/** The NAS fields, and `snmp` for router health (issue 12; stored by features/monitoring). */
const patchNasInputSchema = updateNasInputSchema.extend(nasSnmpPatchShape);

const scriptQuerySchema = z.object({
  /**
   * The IP address(es) this router reaches Kiunga's RADIUS server at, comma-separated, the first the
   * primary (default: KIUNGA_RADIUS_PUBLIC_ADDRESS, else the public URL's host when it is an IP).
   */
  radiusAddress: radiusServerAddressesSchema.optional(),
});

function actorOf(dependencies: ApiDependencies, context: Context<AppEnv>): NasActor {
  return { tenantId: tenantIdOf(context), audit: auditorOf(dependencies, context) };
}

const nas = routeGroup({ basePath: '/api/v1/nas', tag: 'nas' });

nas.declare({
  method: 'get',
  path: '/',
  summary: 'List NAS devices',
  permission: 'nas.read',
  query: pageQuerySchema,
  response: pageResponseSchema(nasOutputSchema),
  handler: async ({ query, dependencies, respond }, context) =>
    respond(await listNas(dependencies.databases.platform, tenantIdOf(context), query)),
});

nas.declare({
  method: 'post',
  path: '/',
  summary: 'Register a NAS; the secret is returned only here',
  permission: 'nas.write',
  body: createNasInputSchema,
  response: nasWithSecretOutputSchema,
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(await registerNas(dependencies, actorOf(dependencies, context), body)),
});

nas.declare({
  method: 'get',
  path: '/:id',
  summary: 'Get a NAS',
  permission: 'nas.read',
  params: idParamsSchema,
  response: nasOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(await getNas(dependencies.databases.platform, tenantIdOf(context), params.id)),
});

nas.declare({
  method: 'patch',
  path: '/:id',
  summary: 'Edit a NAS',
  permission: 'nas.write',
  params: idParamsSchema,
  body: patchNasInputSchema,
  response: nasOutputSchema,
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(await editNas(dependencies, actorOf(dependencies, context), params.id, body)),
});

nas.declare({
  method: 'delete',
  path: '/:id',
  summary: 'Remove a NAS',
  permission: 'nas.write',
  params: idParamsSchema,
  response: nasOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(await removeNas(dependencies, actorOf(dependencies, context), params.id)),
});

nas.declare({
  method: 'post',
  path: '/:id/rotate-secret',
  summary: 'New secret, returned once',
  permission: 'nas.write',
  params: idParamsSchema,
  response: nasWithSecretOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(await rotateSecretOfNas(dependencies, actorOf(dependencies, context), params.id)),
});

nas.declare({
  method: 'get',
  path: '/:id/routeros-script',
  summary: 'RouterOS script pointing the router at Kiunga (secret as placeholder)',
  permission: 'nas.read',
  params: idParamsSchema,
  query: scriptQuerySchema,
  responseContentType: 'text/plain',
  handler: async ({ params, query, dependencies }, context) => {
    const { fileName, script } = await routerosScriptOf(
      dependencies,
      tenantIdOf(context),
      params.id,
      query.radiusAddress,
    );
    return context.text(script, 200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName}"`,
    });
  },
});

nas.declare({
  method: 'get',
  path: '/:id/hotspot-login.html',
  summary: 'Hotspot login.html forwarding clients to the captive portal',
  permission: 'nas.read',
  params: idParamsSchema,
  responseContentType: 'text/html',
  handler: async ({ params, dependencies }, context) =>
    context.html(await hotspotLoginPageOf(dependencies, tenantIdOf(context), params.id)),
});

export const nasRoutes = (dependencies: ApiDependencies) => nas.mount(dependencies);
