// GET /api/v1/platform/live: the platform operator's live view over all ISPs (also pushed over the
// WebSocket of the same path, platform-live-feed.ts). Rates are between this reading of the AAA
// server's counters and the previous one this process's GETs took (zero on the first).
import { z } from 'zod';
import type { ApiDependencies } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { type RadiusCounters, readPlatformLive } from './platform-live';

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
    const { view, counters } = await readPlatformLive(
      dependencies,
      previousReadings.get(dependencies) ?? null,
    );
    previousReadings.set(dependencies, counters);
    return respond(view);
  },
});

export const platformLiveRoutes = (dependencies: ApiDependencies) => platformLive.mount(dependencies);
