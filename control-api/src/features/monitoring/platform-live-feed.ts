// WebSocket /api/v1/platform/live: the operator's live view over every ISP (online clients,
// Access-Requests/s, Accounting/s, rejects by reason, NAS up/down, payments per minute), pushed every
// few seconds while someone watches. Same authenticated upgrade as the ISP sessions feed (the
// permission of GET /api/v1/platform/live, a platform account only), and the same coalescing sender:
// a slow browser gets the latest view when it catches up, never a queue, and never slows the reads.
import { KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { startLiveFeed, type UpgradeRouter } from '../../kernel/ws-upgrade';
import { createUpgradeGate, gatedRoute, isStillGranted } from '../sessions/live/upgrade-gate';
import { type RadiusCounters, readPlatformLive } from './platform-live';

export const PLATFORM_LIVE_PATH = '/api/v1/platform/live';
/** One reading of the AAA counters, the NAS table and every shard's payments per push: rates over 5 s. */
export const PLATFORM_LIVE_INTERVAL_MS = 5_000;
/** A handful of operators watch; more is a script gone wrong. */
const CONNECTIONS_MAX = 20;
/** The room every platform viewer is in. */
const PLATFORM_SCOPE = 'platform';

export interface PlatformLiveFeed {
  stop(): Promise<void>;
}

/** A platform account (no tenant) only: an ISP account is refused even if a role named the permission. */
function platformScopeOf(context: Context<AppEnv>): string {
  if (context.get('principal').tenantId !== null)
    throw new KiungaError('forbidden', 'The platform live view is for platform accounts.');
  return PLATFORM_SCOPE;
}

export function startPlatformLiveFeed(
  upgrades: UpgradeRouter,
  dependencies: ApiDependencies,
): PlatformLiveFeed {
  const gate = createUpgradeGate(dependencies, { permission: 'tenants.read', scopeOf: platformScopeOf });
  let previous: RadiusCounters | null = null;
  let lastMessage: string | null = null;

  const read = async (): Promise<string> => {
    const { view, counters } = await readPlatformLive(dependencies, previous);
    previous = counters;
    lastMessage = JSON.stringify({ type: 'platform_live', ...view });
    return lastMessage;
  };

  const feed = startLiveFeed<{ principalId: string }>(upgrades, {
    name: 'platform live',
    logger: dependencies.logger,
    routes: [gatedRoute(PLATFORM_LIVE_PATH, gate, (grant) => ({ principalId: grant.principal.id }))],
    caps: {
      perScopeMax: CONNECTIONS_MAX,
      overallMax: CONNECTIONS_MAX,
      refusalMessage: () => `At most ${CONNECTIONS_MAX} platform live views at once; close one first.`,
    },
    // A slow browser gets the latest view when it catches up, never a queue, and never slows the reads.
    backPressure: 'coalesce',
    isStillAllowed: (viewer) => isStillGranted(gate, viewer, viewer.identity.principalId),
    onWelcome(viewer) {
      // The last view at once (the first viewer's is read now); rates follow with the next push.
      const first = lastMessage === null ? read() : Promise.resolve(lastMessage);
      first.then(
        (message) => viewer.sender.offer(message),
        (error: unknown) => dependencies.logger.error({ err: error }, 'platform live read failed'),
      );
    },
    tick: {
      intervalMs: PLATFORM_LIVE_INTERVAL_MS,
      async run() {
        if (feed.viewerCount === 0) {
          // Nobody watching: no reads, and the next viewer's rates start from a fresh reading.
          previous = null;
          lastMessage = null;
          return;
        }
        const message = await read();
        for (const viewer of feed.viewers()) viewer.sender.offer(message);
      },
    },
  });

  return { stop: () => feed.stop() };
}
