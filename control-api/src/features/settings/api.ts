// /api/v1/settings/radius: idle timeout, interim interval and expired-account policy the AAA server applies;
// /api/v1/settings/mpesa: the ISP's own shortcode and Daraja credentials (sealed; never read back);
// /api/v1/settings/sms: the ISP's SMS gateway account (API key sealed; never read back) and on/off;
// /api/v1/settings/language: the language its clients get by default (portals, SMS, Reply-Message; issue 14).
import {
  radiusSettingsSchema,
  readTenantRadiusSettings,
  updateRadiusSettingsInputSchema,
  writeTenantRadiusSettings,
} from '@kiunga/schemas';
import { z } from 'zod';
import { LANGUAGES } from '../../i18n';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { mpesaSettingsInputSchema } from '../../mpesa/settings';
import { readRadiusSettings, updateRadiusSettings } from '../branding/service';
import {
  readSmsSettings,
  smsSettingsInputSchema,
  smsSettingsView,
  smsSettingsViewSchema,
} from '../notifications/sms-settings';
import { mpesaSettingsView, mpesaSettingsViewSchema, saveMpesaSettings, saveSmsSettings } from './service';

export type { MpesaSettingsView } from './service';

const settings = routeGroup({ basePath: '/api/v1/settings', tag: 'settings' });

settings.declare({
  method: 'get',
  path: '/radius',
  summary: 'RADIUS settings of the ISP',
  permission: 'signed-in',
  response: radiusSettingsSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond(await readRadiusSettings(tenantDatabaseOf(context, dependencies))),
});

settings.declare({
  method: 'patch',
  path: '/radius',
  summary: 'Change RADIUS settings',
  permission: 'settings.write',
  body: updateRadiusSettingsInputSchema,
  response: radiusSettingsSchema,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await updateRadiusSettings(
        tenantDatabaseOf(context, dependencies),
        body,
        dependencies.clock.now(),
        auditorOf(dependencies, context),
      ),
    ),
});

settings.declare({
  method: 'get',
  path: '/mpesa',
  summary: 'M-Pesa settings of the ISP (without its secrets) and its C2B URL registration',
  permission: 'signed-in',
  response: mpesaSettingsViewSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond(await mpesaSettingsView(dependencies, tenantDatabaseOf(context, dependencies))),
});

settings.declare({
  method: 'put',
  path: '/mpesa',
  summary:
    'Set the ISP M-Pesa shortcode, Daraja credentials and C2B API version (v2 default, v1 for apps subscribed to it); registers its C2B URLs',
  permission: 'settings.write',
  body: mpesaSettingsInputSchema,
  response: mpesaSettingsViewSchema,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await saveMpesaSettings(dependencies, tenantIdOf(context), body, auditorOf(dependencies, context)),
    ),
});

settings.declare({
  method: 'get',
  path: '/sms',
  summary: 'SMS gateway settings of the ISP (without its API key)',
  permission: 'signed-in',
  response: smsSettingsViewSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond(
      smsSettingsView(await readSmsSettings(dependencies.secretBox, tenantDatabaseOf(context, dependencies))),
    ),
});

settings.declare({
  method: 'put',
  path: '/sms',
  summary:
    "Set the ISP's Africa's Talking username, API key (omit to keep the stored one), sender id, and whether reminders go out by SMS",
  permission: 'settings.write',
  feature: 'sms',
  body: smsSettingsInputSchema,
  response: smsSettingsViewSchema,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await saveSmsSettings(
        dependencies,
        tenantDatabaseOf(context, dependencies),
        body,
        auditorOf(dependencies, context),
      ),
    ),
});

const languageSettingSchema = z.object({ default: z.enum(LANGUAGES) }).strict();

settings.declare({
  method: 'get',
  path: '/language',
  summary: "The ISP's default language for its clients (portals, SMS, RADIUS reject messages)",
  permission: 'signed-in',
  response: languageSettingSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond({
      default: (await readTenantRadiusSettings(tenantDatabaseOf(context, dependencies))).clientLanguage,
    }),
});

settings.declare({
  method: 'put',
  path: '/language',
  summary:
    "Set the ISP's default language for its clients: 'en' or 'sw' (a client's own choice on the portals still wins)",
  permission: 'settings.write',
  body: languageSettingSchema,
  response: languageSettingSchema,
  handler: async ({ body, dependencies, respond }, context) => {
    // Written with the RADIUS settings: moving the change generation makes every AAA server reply in it.
    await writeTenantRadiusSettings(
      tenantDatabaseOf(context, dependencies),
      { clientLanguage: body.default },
      dependencies.clock.now(),
    );
    await auditorOf(dependencies, context)({ action: 'settings.language.update', detail: body });
    return respond(body);
  },
});

export const settingsRoutes = (dependencies: ApiDependencies) => settings.mount(dependencies);
