// WebSocket /api/v1/sessions/live: an ISP's live sessions, pushed on connect and whenever they
// change. One timer looks at every watched ISP (one AAA listing per ISP, however many viewers);
// another pings the sockets, drops dead peers and re-checks that each viewer may still look.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { KiungaError } from '@kiunga/schemas';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ApiDependencies } from '../../../kernel/dependencies';
import { PAGE_LIMIT_DEFAULT } from '../../../kernel/pagination';
import { tenantIdOf } from '../../../kernel/tenant-access';
import {
  closeFeedSockets,
  pingViewers,
  refuse,
  refuseWith,
  type UpgradeRouter,
} from '../../../kernel/ws-upgrade';
import { advanceInterimMarks, type InterimMark, nasLiveTotals } from '../../monitoring/live-throughput';
import { allLiveSessions, liveSessionsSnapshotOf } from '../service';
import { type CoalescingSender, coalescingSender } from './back-pressure';
import { admitConnection, snapshotFingerprint } from './feed-policy';
import { createUpgradeGate, type UpgradeGate } from './upgrade-gate';

export const LIVE_SESSIONS_PATH = '/api/v1/sessions/live';
/** How often watched ISPs are looked at: the page lags the routers' accounting by at most this. */
const POLL_INTERVAL_MS = 3_000;
/** Keep-alive: proxies drop idle sockets after about a minute; a peer that misses one ping is gone. */
const PING_INTERVAL_MS = 30_000;
/** A few staff screens per ISP; more is a script gone wrong, not people watching. */
const CONNECTIONS_PER_TENANT_MAX = 20;
/** One node's whole share: each socket costs a listing of its ISP every poll. */
const CONNECTIONS_MAX = 1_000;
/** Sessions per message: the first page of GET /api/v1/sessions, the same the page shows. */
const SESSIONS_PER_MESSAGE = PAGE_LIMIT_DEFAULT;
/** Viewers send nothing; anything bigger than a small frame is refused by ws. */
const INCOMING_MESSAGE_BYTES_MAX = 1_024;
/** On stop, peers get this long to answer the close frame before their sockets are cut. */
const STOP_GRACE_MS = 1_000;

interface Viewer {
  tenantId: string;
  principalId: string;
  request: IncomingMessage;
  isAlive: boolean;
  /** Back-pressure: a slow viewer gets the latest snapshot when it catches up, never a queue. */
  sender: CoalescingSender;
}

interface TenantRoom {
  sockets: Set<WebSocket>;
  /** Fingerprint of the last snapshot sent to the room; null before the first poll. */
  fingerprint: string | null;
  /** Each live session's last interim, for per-client throughput (issue 12). */
  marks: Map<string, InterimMark>;
}

export interface SessionsFeed {
  stop(): Promise<void>;
}

export function startSessionsFeed(upgrades: UpgradeRouter, dependencies: ApiDependencies): SessionsFeed {
  const gate = createUpgradeGate(dependencies, { permission: 'sessions.read', scopeOf: tenantIdOf });
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: INCOMING_MESSAGE_BYTES_MAX });
  const viewers = new Map<WebSocket, Viewer>();
  const rooms = new Map<string, TenantRoom>();
  let isStopping = false;

  /** The tenant's sessions now; the message is only written out when someone is sent it. */
  const snapshotOf = async (tenantId: string, room: TenantRoom) => {
    const nowMs = dependencies.clock.now();
    // One read of the table serves the first page, the total and the per-NAS figures.
    const everyone = await allLiveSessions(dependencies.aaa, tenantId);
    const snapshot = liveSessionsSnapshotOf(everyone, SESSIONS_PER_MESSAGE, nowMs);
    room.marks = advanceInterimMarks(room.marks, everyone);
    const nas = nasLiveTotals(everyone, room.marks);
    const throughput = Object.fromEntries(
      snapshot.items.map((session) => {
        const mark = room.marks.get(session.id);
        return [session.id, { in: mark?.inBitsPerSecond ?? null, out: mark?.outBitsPerSecond ?? null }];
      }),
    );
    return {
      fingerprint: `${snapshotFingerprint(snapshot.items, snapshot.total)}:${JSON.stringify(nas)}`,
      message: () =>
        JSON.stringify({
          type: 'sessions',
          sessions: snapshot.items,
          total: snapshot.total,
          at: nowMs,
          nas,
          throughput,
        }),
    };
  };

  const forget = (socket: WebSocket) => {
    const viewer = viewers.get(socket);
    if (!viewer) return;
    viewers.delete(socket);
    const room = rooms.get(viewer.tenantId);
    room?.sockets.delete(socket);
    if (room && room.sockets.size === 0) rooms.delete(viewer.tenantId);
  };

  const welcome = (socket: WebSocket, viewer: Viewer) => {
    viewers.set(socket, viewer);
    const room = rooms.get(viewer.tenantId) ?? {
      sockets: new Set<WebSocket>(),
      fingerprint: null,
      marks: new Map<string, InterimMark>(),
    };
    rooms.set(viewer.tenantId, room);
    room.sockets.add(socket);
    socket.on('pong', () => {
      viewer.isAlive = true;
    });
    socket.on('close', () => forget(socket));
    socket.on('error', (error) => {
      dependencies.logger.debug({ err: error, tenantId: viewer.tenantId }, 'live feed socket error');
      forget(socket);
    });
    // The table may be in Redis (shared by the AAA nodes): the first snapshot follows when read.
    snapshotOf(viewer.tenantId, room).then(
      ({ message, fingerprint }) => {
        room.fingerprint ??= fingerprint;
        viewer.sender.offer(message());
      },
      (error: unknown) =>
        dependencies.logger.error({ err: error, tenantId: viewer.tenantId }, 'live feed snapshot failed'),
    );
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void admitUpgrade({ request, socket, head, gate }).catch((error: unknown) => {
      dependencies.logger.error({ err: error }, 'live feed upgrade failed');
      refuseWith(socket, new KiungaError('internal_error'));
    });
  };

  const admitUpgrade = async (upgrade: {
    request: IncomingMessage;
    socket: Duplex;
    head: Buffer;
    gate: UpgradeGate;
  }) => {
    const { request, socket, head } = upgrade;
    if (isStopping)
      return refuseWith(socket, new KiungaError('service_unavailable', 'The server is stopping.'));
    const outcome = await upgrade.gate.check(request);
    if ('refusal' in outcome) return refuse(socket, outcome.refusal.status, outcome.refusal.body);
    const { scope: tenantId, principal } = outcome.grant;
    const admission = admitConnection(
      { tenantConnections: rooms.get(tenantId)?.sockets.size ?? 0, allConnections: viewers.size },
      { perTenantMax: CONNECTIONS_PER_TENANT_MAX, overallMax: CONNECTIONS_MAX },
    );
    if (!admission.isAdmitted) {
      const text =
        admission.reason === 'tenant_full'
          ? `At most ${CONNECTIONS_PER_TENANT_MAX} live views per ISP; close one first.`
          : 'Too many live views on this server; try again later.';
      return refuseWith(socket, new KiungaError('rate_limited', text));
    }
    if (isStopping)
      return refuseWith(socket, new KiungaError('service_unavailable', 'The server is stopping.'));
    if (socket.destroyed) return;
    webSockets.handleUpgrade(request, socket, head, (webSocket) =>
      welcome(webSocket, {
        tenantId,
        principalId: principal.id,
        request,
        isAlive: true,
        sender: coalescingSender(webSocket),
      }),
    );
  };

  const poll = async () => {
    for (const [tenantId, room] of rooms) {
      try {
        for (const socket of room.sockets) viewers.get(socket)?.sender.flush();
        const { message, fingerprint } = await snapshotOf(tenantId, room);
        if (fingerprint === room.fingerprint) continue;
        room.fingerprint = fingerprint;
        const text = message();
        for (const socket of room.sockets) viewers.get(socket)?.sender.offer(text);
      } catch (error) {
        dependencies.logger.error({ err: error, tenantId }, 'live feed poll failed');
      }
    }
  };

  const ping = () =>
    pingViewers(viewers, forget, async (viewer) => {
      const outcome = await gate.check(viewer.request);
      return (
        'grant' in outcome &&
        outcome.grant.scope === viewer.tenantId &&
        outcome.grant.principal.id === viewer.principalId
      );
    });

  upgrades.register(LIVE_SESSIONS_PATH, onUpgrade);
  const pollTimer = setInterval(poll, POLL_INTERVAL_MS);
  const pingTimer = setInterval(() => {
    ping().catch((error: unknown) => dependencies.logger.error({ err: error }, 'live feed ping failed'));
  }, PING_INTERVAL_MS);

  return {
    async stop() {
      isStopping = true;
      clearInterval(pollTimer);
      clearInterval(pingTimer);
      upgrades.unregister(LIVE_SESSIONS_PATH);
      const open = [...viewers.keys()];
      viewers.clear();
      rooms.clear();
      await closeFeedSockets(webSockets, open, STOP_GRACE_MS);
    },
  };
}
