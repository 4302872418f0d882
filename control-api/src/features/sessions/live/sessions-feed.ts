// WebSocket /api/v1/sessions/live: an ISP's live sessions, pushed on connect and whenever they
// change. One tick looks at every watched ISP (one AAA listing per ISP, however many viewers); the
// feed helper (kernel/ws-upgrade.ts) pings the sockets, drops dead peers and re-checks each viewer.
import type { ApiDependencies } from '../../../kernel/dependencies';
import { PAGE_LIMIT_DEFAULT } from '../../../kernel/pagination';
import { tenantIdOf } from '../../../kernel/tenant-access';
import { type LiveViewer, startLiveFeed, type UpgradeRouter } from '../../../kernel/ws-upgrade';
import { advanceInterimMarks, type InterimMark, nasLiveTotals } from '../../monitoring/live-throughput';
import { allLiveSessions, liveSessionsSnapshotOf } from '../service';
import { snapshotFingerprint } from './feed-policy';
import { createUpgradeGate, gatedRoute, isStillGranted } from './upgrade-gate';

export const LIVE_SESSIONS_PATH = '/api/v1/sessions/live';
/** How often watched ISPs are looked at: the page lags the routers' accounting by at most this. */
const POLL_INTERVAL_MS = 3_000;
/** A few staff screens per ISP; more is a script gone wrong, not people watching. */
const CONNECTIONS_PER_TENANT_MAX = 20;
/** One node's whole share: each socket costs a listing of its ISP every poll. */
const CONNECTIONS_MAX = 1_000;
/** Sessions per message: the first page of GET /api/v1/sessions, the same the page shows. */
const SESSIONS_PER_MESSAGE = PAGE_LIMIT_DEFAULT;

/** A viewer's scope is its ISP; this is who it is (its access is asked again every keep-alive round). */
interface Watcher {
  principalId: string;
}

interface TenantRoom {
  /** Back-pressure is the helper's: a slow viewer gets the latest snapshot when it catches up, never a queue. */
  viewers: Set<LiveViewer<Watcher>>;
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
  const rooms = new Map<string, TenantRoom>();

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

  const poll = async () => {
    for (const [tenantId, room] of rooms) {
      try {
        const { message, fingerprint } = await snapshotOf(tenantId, room);
        if (fingerprint === room.fingerprint) continue;
        room.fingerprint = fingerprint;
        const text = message();
        for (const viewer of room.viewers) viewer.sender.offer(text);
      } catch (error) {
        dependencies.logger.error({ err: error, tenantId }, 'live feed poll failed');
      }
    }
  };

  const feed = startLiveFeed<Watcher>(upgrades, {
    name: 'live feed',
    logger: dependencies.logger,
    routes: [gatedRoute(LIVE_SESSIONS_PATH, gate, (grant) => ({ principalId: grant.principal.id }))],
    caps: {
      perScopeMax: CONNECTIONS_PER_TENANT_MAX,
      overallMax: CONNECTIONS_MAX,
      refusalMessage: (reason) =>
        reason === 'tenant_full'
          ? `At most ${CONNECTIONS_PER_TENANT_MAX} live views per ISP; close one first.`
          : 'Too many live views on this server; try again later.',
    },
    backPressure: 'coalesce',
    isStillAllowed: (viewer) => isStillGranted(gate, viewer, viewer.identity.principalId),
    onWelcome(viewer) {
      const tenantId = viewer.scope;
      const room = rooms.get(tenantId) ?? {
        viewers: new Set<LiveViewer<Watcher>>(),
        fingerprint: null,
        marks: new Map<string, InterimMark>(),
      };
      rooms.set(tenantId, room);
      room.viewers.add(viewer);
      // The table may be in Redis (shared by the AAA nodes): the first snapshot follows when read.
      snapshotOf(tenantId, room).then(
        ({ message, fingerprint }) => {
          room.fingerprint ??= fingerprint;
          viewer.sender.offer(message());
        },
        (error: unknown) => dependencies.logger.error({ err: error, tenantId }, 'live feed snapshot failed'),
      );
    },
    onForget(viewer) {
      const room = rooms.get(viewer.scope);
      room?.viewers.delete(viewer);
      if (room && room.viewers.size === 0) rooms.delete(viewer.scope);
    },
    tick: { intervalMs: POLL_INTERVAL_MS, run: poll },
  });

  return {
    async stop() {
      rooms.clear();
      await feed.stop();
    },
  };
}
