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
import { KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import type { Permission } from '../../identity/permissions';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { tenantIdOf } from '../../kernel/tenant-access';
import { type LiveFeedRoute, startLiveFeed, type UpgradeRouter } from '../../kernel/ws-upgrade';
import {
  createUpgradeGate,
  gatedRoute,
  isStillGranted,
  type UpgradeGate,
} from '../sessions/live/upgrade-gate';
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
/** A few staff per ISP have the page open (a tab each). */
const CONNECTIONS_PER_TENANT_MAX = 20;
/** All viewers of one node, ISPs and platform together. */
const CONNECTIONS_MAX = 2_000;
/** The room of platform support: it sees every ISP's conversations. */
const PLATFORM_SCOPE = 'platform';

/** Who watches (the viewer's scope is its ISP or PLATFORM_SCOPE), and the gate it came through. */
interface Watcher {
  principalId: string;
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
  const platform = dependencies.databases.platform;
  /** Where the feed is in support_events; null while nobody watches (a first viewer starts at the newest). */
  let cursor: EventCursor | null = null;
  /** Upgrades past the gate and not yet welcomed: the cursor is kept for them. */
  let admittingCount = 0;

  const startCursor = async () => {
    if (cursor !== null) return;
    const baseline = await lastEventId(platform);
    cursor ??= new EventCursor(baseline, EVENT_REORDER_WINDOW);
  };

  /** Changes from now on are this viewer's: the cursor is set before its socket is welcomed. */
  const startCursorForViewer = async () => {
    admittingCount += 1;
    try {
      await startCursor();
    } finally {
      admittingCount -= 1;
    }
  };

  const routeOf = (path: string, gate: UpgradeGate): LiveFeedRoute<Watcher> =>
    gatedRoute(path, gate, (grant) => ({ principalId: grant.principal.id, gate }), startCursorForViewer);

  const poll = async () => {
    if (feed.viewerCount === 0) {
      if (admittingCount === 0) cursor = null;
      return;
    }
    if (cursor === null) return startCursor();
    const events = cursor.take(await listEventsAfter(platform, cursor.readAfter(), EVENTS_PER_POLL_MAX));
    for (const event of events) {
      const message = JSON.stringify({
        type: 'support_changed',
        conversationId: event.conversationId,
        kind: event.kind,
      });
      for (const viewer of feed.viewers()) {
        if (isEventForScope(event, viewer.scope)) viewer.sender.offer(message);
      }
    }
  };

  const feed = startLiveFeed<Watcher>(upgrades, {
    name: 'support live',
    logger: dependencies.logger,
    routes: [
      routeOf(
        SUPPORT_LIVE_PATH,
        createUpgradeGate(dependencies, {
          permission: 'support.use' satisfies Permission,
          scopeOf: tenantIdOf,
        }),
      ),
      routeOf(
        PLATFORM_SUPPORT_LIVE_PATH,
        createUpgradeGate(dependencies, {
          permission: 'platform_support.manage' satisfies Permission,
          scopeOf: platformScopeOf,
        }),
      ),
    ],
    caps: {
      perScopeMax: CONNECTIONS_PER_TENANT_MAX,
      overallMax: CONNECTIONS_MAX,
      refusalMessage: () =>
        `At most ${CONNECTIONS_PER_TENANT_MAX} support pages live at once; close one first.`,
    },
    backPressure: 'coalesce',
    isStillAllowed: (viewer) => isStillGranted(viewer.identity.gate, viewer, viewer.identity.principalId),
    onWelcome(viewer) {
      viewer.sender.offer(JSON.stringify({ type: 'support_ready' }));
    },
    tick: { intervalMs: SUPPORT_FEED_POLL_MS, run: poll },
  });

  return { stop: () => feed.stop() };
}
