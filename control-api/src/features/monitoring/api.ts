// GET /api/v1/nas/<id>/health (router health from SNMP and accounting) and the ISP's quiet-NAS
// threshold, /api/v1/settings/monitoring. The SNMP settings themselves go on PATCH /api/v1/nas/<id>.
import { z } from 'zod';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { monitoringSettingsSchema } from './core';
import { nasHealthOf, readMonitoringSettings, writeMonitoringSettings } from './service';

const nasHealth = routeGroup({ basePath: '/api/v1/nas', tag: 'nas' });

const interfaceSchema = z.object({ name: z.string(), inOctets: z.number(), outOctets: z.number() });
const nasHealthOutputSchema = z.object({
  reachable: z.boolean(),
  lastSeenAt: z.number().nullable(),
  lastAccountingAt: z.number().nullable(),
  snmp: z
    .object({
      polledAt: z.number(),
      sysUpTimeSeconds: z.number(),
      cpuLoadPercent: z.number().nullable(),
      memory: z.object({ totalBytes: z.number(), usedBytes: z.number() }).nullable(),
      interfaces: z.array(interfaceSchema).readonly(),
    })
    .nullable(),
  snmpSettings: z.object({ port: z.number().int(), version: z.string() }).nullable(),
  lastSnmpError: z.string().nullable(),
  isAlertRaised: z.boolean(),
  alertRaisedAt: z.number().nullable(),
  throughput: z.array(
    z.object({ name: z.string(), inBitsPerSecond: z.number(), outBitsPerSecond: z.number() }),
  ),
});

nasHealth.declare({
  method: 'get',
  path: '/:id/health',
  summary:
    'Router health: reachable, last seen, last accounting, and the last SNMP sample (uptime, CPU, interfaces)',
  permission: 'nas.read',
  params: z.object({ id: z.string().min(1).max(64) }),
  response: nasHealthOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(await nasHealthOf(dependencies, tenantIdOf(context), params.id)),
});

const monitoringSettings = routeGroup({ basePath: '/api/v1/settings/monitoring', tag: 'settings' });

monitoringSettings.declare({
  method: 'get',
  path: '/',
  summary: 'Quiet-router alert threshold of the ISP (minutes without accounting or SNMP)',
  permission: 'nas.read',
  response: monitoringSettingsSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond(await readMonitoringSettings(tenantDatabaseOf(context, dependencies))),
});

monitoringSettings.declare({
  method: 'put',
  path: '/',
  summary: 'Set the quiet-router alert threshold (3 to 1440 minutes)',
  permission: 'settings.write',
  body: monitoringSettingsSchema,
  response: monitoringSettingsSchema,
  handler: async ({ body, dependencies, respond }, context) => {
    const saved = await writeMonitoringSettings(
      tenantDatabaseOf(context, dependencies),
      body,
      dependencies.clock.now(),
    );
    await recordAudit(dependencies, context, { action: 'settings.monitoring', target: null, detail: body });
    return respond(saved);
  },
});

export const nasHealthRoutes = (dependencies: ApiDependencies) => nasHealth.mount(dependencies);
export const monitoringSettingsRoutes = (dependencies: ApiDependencies) =>
  monitoringSettings.mount(dependencies);
