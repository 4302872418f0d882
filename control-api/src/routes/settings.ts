// /api/v1/settings/radius: idle timeout, interim interval and expired-account policy the AAA server applies.
import { radiusSettingsSchema, updateRadiusSettingsInputSchema } from '@kiunga/schemas';
import { Hono } from 'hono';
import { recordAudit } from '../audit';
import type { ApiDependencies, AppEnv } from '../dependencies';
import { readRadiusSettings, updateRadiusSettings } from '../domains/branding';
import { requirePermission } from '../middleware/require-permission';
import { tenantShardOf } from '../tenant-access';
import { parseJsonBody } from '../validation';
import { registerApiOperations } from './openapi';

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/settings/radius',
    summary: 'RADIUS settings of the ISP',
    tag: 'settings',
    response: radiusSettingsSchema,
  },
  {
    method: 'patch',
    path: '/api/v1/settings/radius',
    summary: 'Change RADIUS settings',
    tag: 'settings',
    permission: 'settings.write',
    body: updateRadiusSettingsInputSchema,
    response: radiusSettingsSchema,
  },
]);

export function settingsRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/radius', (context) => context.json(readRadiusSettings(tenantShardOf(context, dependencies))));
  routes.patch('/radius', requirePermission('settings.write'), async (context) => {
    const input = await parseJsonBody(context, updateRadiusSettingsInputSchema);
    const settings = updateRadiusSettings(
      tenantShardOf(context, dependencies),
      input,
      dependencies.clock.now(),
    );
    recordAudit(dependencies, context, { action: 'settings.radius.update', detail: input });
    return context.json(settings);
  });
  return routes;
}
