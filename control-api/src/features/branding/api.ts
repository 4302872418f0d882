// /api/v1/branding: the ISP's white label (name, logo, colours) for consoles and the captive portal.
import { brandingSchema, updateBrandingInputSchema } from '@kiunga/schemas';
import { Hono } from 'hono';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { tenantDatabaseOf } from '../../kernel/tenant-access';
import { parseJsonBody } from '../../kernel/validation';
import { readBranding, updateBranding } from './service';

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
