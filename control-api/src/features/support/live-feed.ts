// WebSockets of support chat (issue 14): /api/v1/support/live for an ISP's staff (their own ISP's
// conversations only) and /api/v1/platform/support/live for platform support (every conversation).
// Each push is a small `{type: 'support_changed', conversationId, kind}` that tells a page to read
// the conversation again over HTTP, so nothing but the two sides' own reads ever carries its text.
//
// Multi-node: every change is written with a numbered support_events row in the platform database
// (service.ts), and each API node's feed reads the rows after the last it saw every
// SUPPORT_FEED_POLL_MS while someone watches. A message written on any node therefore reaches the
// viewers of every node within about a second, with no extra moving part (no Redis or LISTEN needed).
// On PostgreSQL, ids are handed out before commit, so a slow transaction can commit a lower id after
// a higher one was read: the feed re-reads a small window below its cursor (event-cursor.ts).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Permission } from '../../identity/permissions';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { tenantIdOf } from '../../kernel/tenant-access';
import {
  closeFeedSockets,
  pingViewers,
  refuse,
  refuseWith,
  type UpgradeRouter,
} from '../../kernel/ws-upgrade';
import { type CoalescingSender, coalescingSender } from '../sessions/live/back-pressure';
import { admitConnection } from '../sessions/live/feed-policy';
import { createUpgradeGate, type UpgradeGate } from '../sessions/live/upgrade-gate';
import { EventCursor } from './event-cursor';
import { PLATFORM_SUPPORT_LIVE_PATH, SUPPORT_LIVE_PATH } from './live-paths';
import { lastEventId, listEventsAfter, type SupportEventRow } from './store';

export { PLATFORM_SUPPORT_LIVE_PATH, SUPPORT_LIVE_PATH } from './live-paths';

/** How often a node reads new changes while someone watches: "a reply shows within a second". */
export const SUPPORT_FEED_POLL_MS = 1_000;
/** Changes read per poll; a busier second is read on by the next poll. */
const EVENTS_PER_POLL_MAX = 500;
/** Ids below the cursor read again (PostgreSQL may commit a lower id late); already pushed ones are skipped. */
const EVENT_REORDER_WINDOW = 50;
/** Keep-alive and access re-check, as the other feeds: a peer that misses one ping is gone. */
const PING_INTERVAL_MS = 30_000;
/** A few staff per ISP have the page open (a tab each). */
const CONNECTIONS_PER_TENANT_MAX = 20;
/** All viewers of one node, ISPs and platform together. */
const CONNECTIONS_MAX = 2_000;
/** Viewers send nothing; anything bigger than a small frame is refused by ws. */
const INCOMING_MESSAGE_BYTES_MAX = 1_024;
/** On stop, peers get this long to answer the close frame before their sockets are cut. */
const STOP_GRACE_MS = 1_000;
/** The room of platform support: it sees every ISP's conversations. */
const PLATFORM_SCOPE = 'platform';

interface Viewer {
  principalId: string;
  /** The ISP whose changes it receives, or PLATFORM_SCOPE. */
  scope: string;
  request: IncomingMessage;
  isAlive: boolean;
  sender: CoalescingSender;
  gate: UpgradeGate;
}

export interface SupportLiveFeed {
  stop(): Promise<void>;
}

function platformScopeOf(context: Context<AppEnv>): string {
  if (context.get('principal').tenantId !== null)
    throw new KiungaError('forbidden', 'Platform support is for platform accounts.');
  return PLATFORM_SCOPE;
}

/** Whether a viewer in `scope` may hear of this change. */
export function isEventForScope(event: Pick<SupportEventRow, 'tenantId'>, scope: string): boolean {
  return scope === PLATFORM_SCOPE || scope === event.tenantId;
}

export function startSupportLiveFeed(
  upgrades: UpgradeRouter,
  dependencies: ApiDependencies,
): SupportLiveFeed {
  const gates: Array<{ path: string; gate: UpgradeGate }> = [
    {
      path: SUPPORT_LIVE_PATH,
      gate: createUpgradeGate(dependencies, {
        permission: 'support.use' satisfies Permission,
        scopeOf: tenantIdOf,
      }),
    },
    {
      path: PLATFORM_SUPPORT_LIVE_PATH,
      gate: createUpgradeGate(dependencies, {
        permission: 'platform_support.manage' satisfies Permission,
        scopeOf: platformScopeOf,
      }),
    },
  ];
  const platform = dependencies.databases.platform;
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: INCOMING_MESSAGE_BYTES_MAX });
  const viewers = new Map<WebSocket, Viewer>();
  /** Where the feed is in support_events; null while nobody watches (a first viewer starts at the newest). */
  let cursor: EventCursor | null = null;
  /** Upgrades past the gate and not yet welcomed: the cursor is kept for them. */
  let admittingCount = 0;
  let isStopping = false;
  let isPolling = false;

  const forget = (socket: WebSocket) => viewers.delete(socket);

  const startCursor = async () => {
    if (cursor !== null) return;
    const baseline = await lastEventId(platform);
    cursor ??= new EventCursor(baseline, EVENT_REORDER_WINDOW);
  };

  const welcome = (socket: WebSocket, viewer: Viewer) => {
    viewers.set(socket, viewer);
    socket.on('pong', () => {
      viewer.isAlive = true;
    });
    socket.on('close', () => forget(socket));
    socket.on('error', (error) => {
      dependencies.logger.debug({ err: error }, 'support live socket error');
      forget(socket);
    });
    viewer.sender.offer(JSON.stringify({ type: 'support_ready' }));
  };

  const admitUpgrade = async (gate: UpgradeGate, request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (isStopping)
      return refuseWith(socket, new KiungaError('service_unavailable', 'The server is stopping.'));
    const outcome = await gate.check(request);
    if ('refusal' in outcome) return refuse(socket, outcome.refusal.status, outcome.refusal.body);
    const { scope, principal } = outcome.grant;
    const scopeCount = [...viewers.values()].filter((viewer) => viewer.scope === scope).length;
    const admission = admitConnection(
      { tenantConnections: scopeCount, allConnections: viewers.size },
      { perTenantMax: CONNECTIONS_PER_TENANT_MAX, overallMax: CONNECTIONS_MAX },
    );
    if (!admission.isAdmitted) {
      const text = `At most ${CONNECTIONS_PER_TENANT_MAX} support pages live at once; close one first.`;
      return refuseWith(socket, new KiungaError('rate_limited', text));
    }
    // Changes from now on are this viewer's: the cursor is set before its socket is welcomed.
    admittingCount += 1;
    try {
      await startCursor();
      if (isStopping || socket.destroyed) return;
      webSockets.handleUpgrade(request, socket, head, (webSocket) =>
        welcome(webSocket, {
          principalId: principal.id,
          scope,
          request,
          isAlive: true,
          sender: coalescingSender(webSocket),
          gate,
        }),
      );
    } finally {
      admittingCount -= 1;
    }
  };

  const poll = async () => {
    if (viewers.size === 0) {
      if (admittingCount === 0) cursor = null;
      return;
    }
    for (const viewer of viewers.values()) viewer.sender.flush();
    if (cursor === null) return startCursor();
    const events = cursor.take(await listEventsAfter(platform, cursor.readAfter(), EVENTS_PER_POLL_MAX));
    for (const event of events) {
      const message = JSON.stringify({
        type: 'support_changed',
        conversationId: event.conversationId,
        kind: event.kind,
      });
      for (const viewer of viewers.values()) {
        if (isEventForScope(event, viewer.scope)) viewer.sender.offer(message);
      }
    }
  };

  const ping = () =>
    pingViewers(viewers, forget, async (viewer) => {
      const outcome = await viewer.gate.check(viewer.request);
      return 'grant' in outcome && outcome.grant.principal.id === viewer.principalId;
    });

  for (const { path, gate } of gates) {
    upgrades.register(path, (request, socket, head) => {
      void admitUpgrade(gate, request, socket, head).catch((error: unknown) => {
        dependencies.logger.error({ err: error }, 'support live upgrade failed');
        refuseWith(socket, new KiungaError('internal_error'));
      });
    });
  }
  const pollTimer = setInterval(() => {
    if (isPolling) return;
    isPolling = true;
    poll()
      .catch((error: unknown) => dependencies.logger.error({ err: error }, 'support live poll failed'))
      .finally(() => {
        isPolling = false;
      });
  }, SUPPORT_FEED_POLL_MS);
  const pingTimer = setInterval(() => {
    ping().catch((error: unknown) => dependencies.logger.error({ err: error }, 'support live ping failed'));
  }, PING_INTERVAL_MS);

  return {
    async stop() {
      isStopping = true;
      clearInterval(pollTimer);
      clearInterval(pingTimer);
      for (const { path } of gates) upgrades.unregister(path);
      const open = [...viewers.keys()];
      viewers.clear();
      await closeFeedSockets(webSockets, open, STOP_GRACE_MS);
    },
  };
}
