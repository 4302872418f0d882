// /api/v1/cpes (the ISP's TR-069 CPEs through GenieACS: list, one CPE, reboot, Wi-Fi, PPPoE provisioning)
// and /api/v1/settings/genieacs (the ISP's own ACS; the password sealed and never read back).
import { z } from 'zod';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { idParamsSchema } from '../../kernel/route-params';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { changeCpeWifi, getCpe, listCpes, rebootCpe, syncPppoeProvisioning } from './service';
import {
  genieAcsSettingsInputSchema,
  genieAcsSettingsOf,
  genieAcsSettingsViewSchema,
  removeGenieAcsSettings,
  saveGenieAcsSettings,
} from './settings';

const cpeListItemSchema = z.object({
  /** GenieACS's device `_id`. */
  id: z.string(),
  serialNumber: z.string().nullable(),
  productClass: z.string().nullable(),
  lastInform: z.number().int().nullable(),
  online: z.boolean(),
  subscriberId: z.string().nullable(),
});

const cpeDetailSchema = cpeListItemSchema.extend({
  manufacturer: z.string().nullable(),
  dataModel: z.enum(['tr098', 'tr181']).nullable(),
  firmware: z.string().nullable(),
  hardwareVersion: z.string().nullable(),
  uptimeSeconds: z.number().int().nullable(),
  wanIp: z.string().nullable(),
  pppoeUsername: z.string().nullable(),
  wifiSsid: z.string().nullable(),
  pendingTasks: z.array(
    z.object({ id: z.string(), name: z.string(), queuedAt: z.number().int().nullable() }),
  ),
  faults: z.array(z.object({ code: z.string(), message: z.string(), at: z.number().int().nullable() })),
});

const taskResultSchema = z.object({
  status: z.enum(['done', 'pending', 'faulted']),
  taskId: z.string(),
  fault: z.object({ code: z.string(), message: z.string() }).optional(),
});

/** The API's checks are the wire limits; the integration checks the TR-098/TR-181 rules (32-byte SSID, 8-63 passphrase). */
const WIFI_TEXT_CHARS_MAX = 64;

const wifiInputSchema = z.object({
  ssid: z.string().min(1).max(WIFI_TEXT_CHARS_MAX),
  password: z.string().min(1).max(WIFI_TEXT_CHARS_MAX),
});

const cpes = routeGroup({ basePath: '/api/v1/cpes', tag: 'cpes' });

cpes.declare({
  method: 'get',
  path: '/',
  summary:
    "The ISP's CPEs in GenieACS with the subscriber each is bound to (serial number, else PPPoE username)",
  permission: 'cpes.read',
  response: z.object({ items: z.array(cpeListItemSchema), total: z.number().int().nullable() }),
  handler: async ({ dependencies, respond }, context) =>
    respond(await listCpes(dependencies, tenantDatabaseOf(context, dependencies), tenantIdOf(context))),
});

cpes.declare({
  method: 'post',
  path: '/provisioning/sync',
  summary:
    "Push the PPPoE provisioning presets of the ISP's provisioning plans to GenieACS (stale ones removed)",
  permission: 'cpes.manage',
  response: z.object({ presets: z.number().int(), removed: z.number().int() }),
  handler: async ({ dependencies, respond }, context) =>
    respond(
      await syncPppoeProvisioning(dependencies, tenantDatabaseOf(context, dependencies), tenantIdOf(context)),
    ),
});

cpes.declare({
  method: 'get',
  path: '/:id',
  summary: 'One CPE: firmware, uptime, WAN address, Wi-Fi name, tasks still pending, faults',
  permission: 'cpes.read',
  params: idParamsSchema,
  response: cpeDetailSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(
      await getCpe(dependencies, tenantDatabaseOf(context, dependencies), tenantIdOf(context), params.id),
    ),
});

cpes.declare({
  method: 'post',
  path: '/:id/reboot',
  summary:
    'Reboot a CPE: 200 when it did, 202 when queued for its next Inform (pending; dropped after a day)',
  permission: 'cpes.manage',
  params: idParamsSchema,
  response: taskResultSchema,
  handler: async ({ params, dependencies }, context) => {
    const result = await rebootCpe(
      dependencies,
      tenantDatabaseOf(context, dependencies),
      tenantIdOf(context),
      params.id,
      auditorOf(dependencies, context),
    );
    return context.json(result, result.status === 'pending' ? 202 : 200);
  },
});

cpes.declare({
  method: 'post',
  path: '/:id/wifi',
  summary: "Change a CPE's Wi-Fi name and password (TR-098 or TR-181 paths): 200 done, 202 pending",
  permission: 'cpes.manage',
  params: idParamsSchema,
  body: wifiInputSchema,
  response: taskResultSchema,
  handler: async ({ params, body, dependencies }, context) => {
    const result = await changeCpeWifi(
      dependencies,
      tenantDatabaseOf(context, dependencies),
      tenantIdOf(context),
      params.id,
      body,
      auditorOf(dependencies, context),
    );
    return context.json(result, result.status === 'pending' ? 202 : 200);
  },
});

const settings = routeGroup({ basePath: '/api/v1/settings/genieacs', tag: 'cpes' });

settings.declare({
  method: 'get',
  path: '/',
  summary:
    "The ISP's TR-069 server: its own GenieACS, the platform's shared one, or none (never the password)",
  permission: 'settings.write',
  response: genieAcsSettingsViewSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond(await genieAcsSettingsOf(dependencies, tenantDatabaseOf(context, dependencies))),
});

settings.declare({
  method: 'put',
  path: '/',
  summary: "Use the ISP's own GenieACS NBI {url, username?, password?} (password sealed); provisioning plans",
  permission: 'settings.write',
  body: genieAcsSettingsInputSchema,
  response: genieAcsSettingsViewSchema,
  handler: async ({ body, dependencies, respond }, context) => {
    const view = await saveGenieAcsSettings(dependencies, tenantDatabaseOf(context, dependencies), body);
    await auditorOf(
      dependencies,
      context,
    )({
      action: 'settings.genieacs',
      detail: { url: view.url, username: view.username, plans: view.pppoeProvisioningPlanIds },
    });
    return respond(view);
  },
});

settings.declare({
  method: 'delete',
  path: '/',
  summary: "Forget the ISP's own GenieACS (back to the platform's shared ACS, if any)",
  permission: 'settings.write',
  response: genieAcsSettingsViewSchema,
  handler: async ({ dependencies, respond }, context) => {
    const view = await removeGenieAcsSettings(dependencies, tenantDatabaseOf(context, dependencies));
    await auditorOf(dependencies, context)({ action: 'settings.genieacs.remove' });
    return respond(view);
  },
});

export const cpeRoutes = (dependencies: ApiDependencies) => cpes.mount(dependencies);
export const genieAcsSettingsRoutes = (dependencies: ApiDependencies) => settings.mount(dependencies);
