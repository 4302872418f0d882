// /api/v1/branding: the ISP's white label (name, logo, colours) for consoles and the captive portal.
import { brandingSchema, updateBrandingInputSchema } from '@kiunga/schemas';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { tenantDatabaseOf } from '../../kernel/tenant-access';
import { readBranding, updateBranding } from './service';

const branding = routeGroup({ basePath: '/api/v1/branding', tag: 'settings' });

branding.declare({
  method: 'get',
  path: '/',
  summary: "The ISP's branding",
  permission: 'signed-in',
  response: brandingSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond(await readBranding(tenantDatabaseOf(context, dependencies))),
});

branding.declare({
  method: 'patch',
  path: '/',
  summary: 'Set display name, logo (data URL or URL) and colours (#rrggbb)',
  permission: 'branding.write',
  body: updateBrandingInputSchema,
  response: brandingSchema,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await updateBranding(
        tenantDatabaseOf(context, dependencies),
        body,
        dependencies.clock.now(),
        auditorOf(dependencies, context),
      ),
    ),
});

export const brandingRoutes = (dependencies: ApiDependencies) => branding.mount(dependencies);
