// /api/v1/branding: the ISP's white label (name, logo, colours) for consoles and the captive portal.
import { brandingSchema, updateBrandingInputSchema } from '@kiunga/schemas';
import { Hono } from 'hono';
import { recordAudit } from '../audit';
import type { ApiDependencies, AppEnv } from '../dependencies';
import { readBranding, updateBranding } from '../domains/branding';
import { requirePermission } from '../middleware/require-permission';
import { tenantDatabaseOf } from '../tenant-access';
import { parseJsonBody } from '../validation';
import { registerApiOperations } from './openapi';

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/branding',
    summary: "The ISP's branding",
    tag: 'settings',
    response: brandingSchema,
  },
  {
    method: 'patch',
    path: '/api/v1/branding',
    summary: 'Set display name, logo (data URL or URL) and colours (#rrggbb)',
    tag: 'settings',
    permission: 'branding.write',
    body: updateBrandingInputSchema,
    response: brandingSchema,
  },
]);

export function brandingRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/', async (context) =>
    context.json(await readBranding(tenantDatabaseOf(context, dependencies))),
  );
  routes.patch('/', requirePermission('branding.write'), async (context) => {
    const input = await parseJsonBody(context, updateBrandingInputSchema);
    const branding = await updateBranding(
      tenantDatabaseOf(context, dependencies),
      input,
      dependencies.clock.now(),
    );
    const { logo, ...rest } = input;
    await recordAudit(dependencies, context, {
      action: 'branding.update',
      detail: { ...rest, ...(logo === undefined ? {} : { logoChanged: true }) },
    });
    return context.json(branding);
  });
  return routes;
}
