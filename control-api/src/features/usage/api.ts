// /api/v1/usage: a subscriber's or voucher's usage per hour or day from the rollups, and the ISP's
// usage settings (raw accounting retention).
import { z } from 'zod';
import type { ApiDependencies } from '../../kernel/dependencies';
import { KiungaError } from '../../kernel/errors';
import { routeGroup } from '../../kernel/route';
import { tenantDatabaseOf } from '../../kernel/tenant-access';
import { usageQuerySchema } from './core/index';
import { usageSeriesOf } from './service';
import { readUsageSettings, usageSettingsSchema, writeUsageSettings } from './settings';

const amountsSchema = z.object({
  inputOctets: z.number().int(),
  outputOctets: z.number().int(),
  sessionSeconds: z.number().int(),
});

export const usageSeriesOutputSchema = z.object({
  items: z.array(amountsSchema.extend({ start: z.number().int() })),
  totals: amountsSchema,
});

const usage = routeGroup({ basePath: '/api/v1/usage', tag: 'sessions' });

usage.declare({
  method: 'get',
  path: '/',
  summary:
    'Usage of a subscriber or voucher per hour or local day (input = upload, output = download), gaps filled, with totals; lags accounting by at most a minute',
  permission: 'sessions.read',
  query: usageQuerySchema,
  response: usageSeriesOutputSchema,
  handler: async ({ query, dependencies, respond }, context) => {
    // Besides sessions.read, the subject's own read permission (subscribers.read or vouchers.read).
    const needed = query.subject.kind === 'voucher' ? 'vouchers.read' : 'subscribers.read';
    if (!context.get('principal').permissions.has(needed))
      throw new KiungaError('forbidden', `This needs the ${needed} permission.`);
    return respond(await usageSeriesOf(tenantDatabaseOf(context, dependencies), query));
  },
});

usage.declare({
  method: 'get',
  path: '/settings',
  summary: 'How many days raw accounting records are kept (rollups are kept for good)',
  permission: 'sessions.read',
  response: usageSettingsSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond(await readUsageSettings(tenantDatabaseOf(context, dependencies))),
});

usage.declare({
  method: 'put',
  path: '/settings',
  summary: 'Set how many days raw accounting records are kept (7 to 3,660; default 90)',
  permission: 'settings.write',
  body: usageSettingsSchema,
  response: usageSettingsSchema,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await writeUsageSettings(tenantDatabaseOf(context, dependencies), body, dependencies.clock.now()),
    ),
});

export const usageRoutes = (dependencies: ApiDependencies) => usage.mount(dependencies);
