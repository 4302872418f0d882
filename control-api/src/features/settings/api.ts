// /api/v1/settings/radius: idle timeout, interim interval and expired-account policy the AAA server applies;
// /api/v1/settings/mpesa: the ISP's own shortcode and Daraja credentials (sealed; never read back);
// /api/v1/settings/sms: the ISP's SMS gateway account (API key sealed; never read back) and on/off.
import { radiusSettingsSchema, type SqlDatabase, updateRadiusSettingsInputSchema } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requireFeature } from '../../kernel/middleware/require-feature';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { parseJsonBody } from '../../kernel/validation';
import { markRegistrationPending, readRegistration, registerC2bUrls } from '../../mpesa/c2b-registration';
import {
  mergeMpesaSettings,
  mpesaSettingsInputSchema,
  readMpesaSettings,
  writeMpesaSettings,
} from '../../mpesa/settings';
import { readRadiusSettings, updateRadiusSettings } from '../branding/service';
import {
  mergeSmsSettings,
  readSmsSettings,
  smsSettingsInputSchema,
  smsSettingsView,
  smsSettingsViewSchema,
  writeSmsSettings,
} from '../notifications/sms-settings';

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
  {
    method: 'get',
    path: '/api/v1/settings/mpesa',
    summary: 'M-Pesa settings of the ISP (without its secrets) and its C2B URL registration',
    tag: 'settings',
    response: mpesaSettingsViewSchema(),
  },
  {
    method: 'put',
    path: '/api/v1/settings/mpesa',
    summary:
      'Set the ISP M-Pesa shortcode, Daraja credentials and C2B API version (v2 default, v1 for apps subscribed to it); registers its C2B URLs',
    tag: 'settings',
    permission: 'settings.write',
    body: mpesaSettingsInputSchema,
    response: mpesaSettingsViewSchema(),
  },
  {
    method: 'get',
    path: '/api/v1/settings/sms',
    summary: 'SMS gateway settings of the ISP (without its API key)',
    tag: 'settings',
    response: smsSettingsViewSchema,
  },
  {
    method: 'put',
    path: '/api/v1/settings/sms',
    summary:
      "Set the ISP's Africa's Talking username, API key (omit to keep the stored one), sender id, and whether reminders go out by SMS",
    tag: 'settings',
    permission: 'settings.write',
    body: smsSettingsInputSchema,
    response: smsSettingsViewSchema,
  },
]);

function mpesaSettingsViewSchema() {
  return z.object({
    isConfigured: z.boolean(),
    shortcode: z.string().nullable(),
    transactionType: z.string().nullable(),
    partyB: z.string().nullable(),
    /** The C2B API product of the Daraja app: the Register URL path (v2 default, v1 selectable). */
    c2bApiVersion: z.enum(['v1', 'v2']).nullable(),
    c2bRegistration: z
      .object({
        status: z.enum(['pending', 'registered', 'failed']),
        attempts: z.number(),
        /** A catalogue code when Daraja refused for a reason someone must fix (wrong C2B version, …). */
        errorCode: z.string().nullable(),
        lastError: z.string().nullable(),
        updatedAt: z.number(),
      })
      .nullable(),
  });
}

export type MpesaSettingsView = z.infer<ReturnType<typeof mpesaSettingsViewSchema>>;

/** What an ISP may read back: never the consumer secret or the passkey. */
async function mpesaSettingsView(
  dependencies: ApiDependencies,
  database: SqlDatabase,
): Promise<MpesaSettingsView> {
  const settings = await readMpesaSettings(dependencies, database);
  return {
    isConfigured: settings !== null,
    shortcode: settings?.shortcode ?? null,
    transactionType: settings?.transactionType ?? null,
    partyB: settings?.partyB ?? null,
    c2bApiVersion: settings?.c2bApiVersion ?? null,
    c2bRegistration: await readRegistration(database),
  };
}

export function settingsRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/radius', async (context) =>
    context.json(await readRadiusSettings(tenantDatabaseOf(context, dependencies))),
  );
  routes.patch('/radius', requirePermission('settings.write'), async (context) => {
    const input = await parseJsonBody(context, updateRadiusSettingsInputSchema);
    const settings = await updateRadiusSettings(
      tenantDatabaseOf(context, dependencies),
      input,
      dependencies.clock.now(),
    );
    await recordAudit(dependencies, context, { action: 'settings.radius.update', detail: input });
    return context.json(settings);
  });
  routes.get('/mpesa', async (context) =>
    context.json(await mpesaSettingsView(dependencies, tenantDatabaseOf(context, dependencies))),
  );
  // Saving registers the ISP's C2B URLs with Daraja at once; if Daraja cannot be reached the
  // registration stays pending and the job retries it.
  routes.put('/mpesa', requirePermission('settings.write'), async (context) => {
    const input = await parseJsonBody(context, mpesaSettingsInputSchema);
    const tenantId = tenantIdOf(context);
    const database = tenantDatabaseOf(context, dependencies);
    const nowMs = dependencies.clock.now();
    await database.transaction(async (transaction) => {
      const settings = mergeMpesaSettings(await readMpesaSettings(dependencies, transaction), input);
      await writeMpesaSettings(dependencies.secretBox, transaction, settings, nowMs);
      await markRegistrationPending(transaction, nowMs);
    });
    await recordAudit(dependencies, context, {
      action: 'settings.mpesa.update',
      detail: {
        shortcode: input.shortcode,
        transactionType: input.transactionType,
        partyB: input.partyB ?? null,
        c2bApiVersion: input.c2bApiVersion,
        areCredentialsChanged: input.consumerKey !== undefined || input.consumerSecret !== undefined,
      },
    });
    if (dependencies.mpesaBaseUrl) await registerC2bUrls(dependencies, tenantId);
    return context.json(await mpesaSettingsView(dependencies, database));
  });
  routes.get('/sms', async (context) =>
    context.json(
      smsSettingsView(await readSmsSettings(dependencies.secretBox, tenantDatabaseOf(context, dependencies))),
    ),
  );
  routes.put(
    '/sms',
    requirePermission('settings.write'),
    requireFeature(dependencies, 'sms'),
    async (context) => {
      const input = await parseJsonBody(context, smsSettingsInputSchema);
      const database = tenantDatabaseOf(context, dependencies);
      const settings = await database.transaction(async (transaction) => {
        const merged = mergeSmsSettings(await readSmsSettings(dependencies.secretBox, transaction), input);
        await writeSmsSettings(dependencies.secretBox, transaction, merged, dependencies.clock.now());
        return merged;
      });
      await recordAudit(dependencies, context, {
        action: 'settings.sms.update',
        detail: {
          username: settings.username,
          senderId: settings.senderId,
          enabled: settings.enabled,
          isApiKeyChanged: input.apiKey !== undefined,
        },
      });
      return context.json(smsSettingsView(settings));
    },
  );
  return routes;
}
