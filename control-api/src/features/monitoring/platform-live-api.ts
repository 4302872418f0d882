// GET /api/v1/platform/live: the platform operator's live view over all ISPs. Rates are between this
// reading of the AAA server's counters and the previous one this process took (zero on the first).
import { z } from 'zod';
import type { ApiDependencies } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { countPaymentsSince, type RadiusCounters, radiusRates, readRadiusCounters } from './platform-live';
import { nasUpDownCounts } from './store';

const PAYMENTS_WINDOW_MS = 60_000;

const platformLive = routeGroup({ basePath: '/api/v1/platform/live', tag: 'platform' });

const platformLiveSchema = z.object({
  at: z.number(),
  onlineClients: z.number().int(),
  accessRequestsPerSecond: z.number(),
  accountingPerSecond: z.number(),
  rejectsPerMinuteByReason: z.record(z.string(), z.number()),
  nas: z.object({ total: z.number().int(), up: z.number().int(), down: z.number().int() }),
  paymentsPerMinute: z.number().int(),
});

/** The previous reading per process (app instance), so that each answer carries rates. */
const previousReadings = new WeakMap<ApiDependencies, RadiusCounters>();

platformLive.declare({
  method: 'get',
  path: '/',
  summary:
    'Platform live view: online clients, Access-Requests/s, Accounting/s, rejects by reason, NAS up/down, payments per minute',
  permission: 'tenants.read',
  response: platformLiveSchema,
  handler: async ({ dependencies, respond }) => {
    const nowMs = dependencies.clock.now();
    const counters = readRadiusCounters(await dependencies.aaa.metricsText(), nowMs);
    const rates = radiusRates(previousReadings.get(dependencies) ?? null, counters);
    previousReadings.set(dependencies, counters);
    const nas = await nasUpDownCounts(dependencies.databases.platform);
    const payments = await countPaymentsSince(
      dependencies.databases.platform,
      (tenantId) => dependencies.databases.forTenant(tenantId),
      nowMs - PAYMENTS_WINDOW_MS,
      nowMs,
    );
    return respond({
      at: nowMs,
      onlineClients: counters.openSessions,
      ...rates,
      nas: { total: nas.total, up: nas.total - nas.down, down: nas.down },
      paymentsPerMinute: payments,
    });
  },
});

export const platformLiveRoutes = (dependencies: ApiDependencies) => platformLive.mount(dependencies);
