// WebSocket /api/v1/platform/live: the operator's live view over every ISP (online clients,
// Access-Requests/s, Accounting/s, rejects by reason, NAS up/down, payments per minute), pushed every
// few seconds while someone watches. Same authenticated upgrade as the ISP sessions feed (the
// permission of GET /api/v1/platform/live, a platform account only), and the same coalescing sender:
// a slow browser gets the latest view when it catches up, never a queue, and never slows the reads.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import {
  closeFeedSockets,
  pingViewers,
  refuse,
  refuseWith,
  type UpgradeRouter,
} from '../../kernel/ws-upgrade';
import { type CoalescingSender, coalescingSender } from '../sessions/live/back-pressure';
import { admitConnection } from '../sessions/live/feed-policy';
import { createUpgradeGate } from '../sessions/live/upgrade-gate';
import { type RadiusCounters, readPlatformLive } from './platform-live';

export const PLATFORM_LIVE_PATH = '/api/v1/platform/live';
/** One reading of the AAA counters, the NAS table and every shard's payments per push: rates over 5 s. */
export const PLATFORM_LIVE_INTERVAL_MS = 5_000;
/** Keep-alive and access re-check, as the sessions feed: a peer that misses one ping is gone. */
const PING_INTERVAL_MS = 30_000;
/** A handful of operators watch; more is a script gone wrong. */
const CONNECTIONS_MAX = 20;
/** Viewers send nothing; anything bigger than a small frame is refused by ws. */
const INCOMING_MESSAGE_BYTES_MAX = 1_024;
/** On stop, peers get this long to answer the close frame before their sockets are cut. */
const STOP_GRACE_MS = 1_000;
/** The room every platform viewer is in. */
const PLATFORM_SCOPE = 'platform';

interface Viewer {
  principalId: string;
  request: IncomingMessage;
  isAlive: boolean;
  sender: CoalescingSender;
}

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
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: INCOMING_MESSAGE_BYTES_MAX });
  const viewers = new Map<WebSocket, Viewer>();
  let previous: RadiusCounters | null = null;
  let lastMessage: string | null = null;
  let isStopping = false;

  const read = async (): Promise<string> => {
    const { view, counters } = await readPlatformLive(dependencies, previous);
    previous = counters;
    lastMessage = JSON.stringify({ type: 'platform_live', ...view });
    return lastMessage;
  };

  const forget = (socket: WebSocket) => viewers.delete(socket);

  const welcome = (socket: WebSocket, viewer: Viewer) => {
    viewers.set(socket, viewer);
    socket.on('pong', () => {
      viewer.isAlive = true;
    });
    socket.on('close', () => forget(socket));
    socket.on('error', (error) => {
      dependencies.logger.debug({ err: error }, 'platform live socket error');
      forget(socket);
    });
    // The last view at once (the first viewer's is read now); rates follow with the next push.
    const first = lastMessage === null ? read() : Promise.resolve(lastMessage);
    first.then(
      (message) => viewer.sender.offer(message),
      (error: unknown) => dependencies.logger.error({ err: error }, 'platform live read failed'),
    );
  };

  const admitUpgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (isStopping)
      return refuseWith(socket, new KiungaError('service_unavailable', 'The server is stopping.'));
    const outcome = await gate.check(request);
    if ('refusal' in outcome) return refuse(socket, outcome.refusal.status, outcome.refusal.body);
    const admission = admitConnection(
      { tenantConnections: viewers.size, allConnections: viewers.size },
      { perTenantMax: CONNECTIONS_MAX, overallMax: CONNECTIONS_MAX },
    );
    if (!admission.isAdmitted) {
      const text = `At most ${CONNECTIONS_MAX} platform live views at once; close one first.`;
      return refuseWith(socket, new KiungaError('rate_limited', text));
    }
    if (isStopping || socket.destroyed) return;
    const principalId = outcome.grant.principal.id;
    webSockets.handleUpgrade(request, socket, head, (webSocket) =>
      welcome(webSocket, { principalId, request, isAlive: true, sender: coalescingSender(webSocket) }),
    );
  };

  const push = async () => {
    if (viewers.size === 0) {
      // Nobody watching: no reads, and the next viewer's rates start from a fresh reading.
      previous = null;
      lastMessage = null;
      return;
    }
    for (const viewer of viewers.values()) viewer.sender.flush();
    const message = await read();
    for (const viewer of viewers.values()) viewer.sender.offer(message);
  };

  const ping = () =>
    pingViewers(viewers, forget, async (viewer) => {
      const outcome = await gate.check(viewer.request);
      return 'grant' in outcome && outcome.grant.principal.id === viewer.principalId;
    });

  upgrades.register(PLATFORM_LIVE_PATH, (request, socket, head) => {
    void admitUpgrade(request, socket, head).catch((error: unknown) => {
      dependencies.logger.error({ err: error }, 'platform live upgrade failed');
      refuseWith(socket, new KiungaError('internal_error'));
    });
  });
  const pushTimer = setInterval(() => {
    push().catch((error: unknown) => dependencies.logger.error({ err: error }, 'platform live push failed'));
  }, PLATFORM_LIVE_INTERVAL_MS);
  const pingTimer = setInterval(() => {
    ping().catch((error: unknown) => dependencies.logger.error({ err: error }, 'platform live ping failed'));
  }, PING_INTERVAL_MS);

  return {
    async stop() {
      isStopping = true;
      clearInterval(pushTimer);
      clearInterval(pingTimer);
      upgrades.unregister(PLATFORM_LIVE_PATH);
      const open = [...viewers.keys()];
      viewers.clear();
      await closeFeedSockets(webSockets, open, STOP_GRACE_MS);
    },
  };
}
