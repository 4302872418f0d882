// GET/PUT /api/v1/settings/guest-passes: the ISP's "try free" offer on its captive portal (issue 13).
import { KiungaError } from '@kiunga/schemas';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { tenantFeatures } from '../../kernel/middleware/require-feature';
import { routeGroup } from '../../kernel/route';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { guestPassSettingsSchema } from './core/index';
import { readGuestPassSettings, saveGuestPassSettings } from './service';

const guestPassSettings = routeGroup({ basePath: '/api/v1/settings/guest-passes', tag: 'settings' });

guestPassSettings.declare({
  method: 'get',
  path: '/',
  summary: 'Guest-pass settings of the ISP (off by default)',
  permission: 'signed-in',
  response: guestPassSettingsSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond(await readGuestPassSettings(tenantDatabaseOf(context, dependencies))),
});

guestPassSettings.declare({
  method: 'put',
  path: '/',
  summary:
    'Offer guest passes on the captive portal: on/off, duration, rate, once per device (and optionally per phone) per period, daily cap',
  permission: 'settings.write',
  body: guestPassSettingsSchema,
  response: guestPassSettingsSchema,
  handler: async ({ body, dependencies, respond }, context) => {
    // The phone check sends SMS: Tier 2 (403 feature_not_in_tier naming it otherwise).
    if (
      body.requirePhone &&
      !(await tenantFeatures(dependencies.databases.platform, tenantIdOf(context)))('sms')
    ) {
      throw new KiungaError('feature_not_in_tier', 'The phone check by SMS code is part of Tier 2.');
    }
    return respond(
      await saveGuestPassSettings(
        tenantDatabaseOf(context, dependencies),
        body,
        dependencies.clock.now(),
        auditorOf(dependencies, context),
      ),
    );
  },
});

export const guestPassSettingsRoutes = (dependencies: ApiDependencies) =>
  guestPassSettings.mount(dependencies);
