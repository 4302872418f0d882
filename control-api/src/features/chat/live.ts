// WebSockets of client chat: /api/v1/chat/live for the ISP's staff (every new message of their ISP,
// with the conversation's unread count) and <portal chat>/live for a client (the messages of their
// own conversation). Each watched ISP's shard is read for "messages after the last one sent" on a
// short poll and at once when this node wrote one (the service's nudge), so a message written on
// any node reaches every node's sockets. A client's presence (for the offline-reply SMS) is kept in
// the shard by the keep-alive round.
import type { IncomingMessage } from 'node:http';
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { Hono } from 'hono';
import { apiErrorHandler } from '../../app';
import { isAllowedOrigin } from '../../identity/origin';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { tenantIdOf } from '../../kernel/tenant-access';
import {
  FEED_PING_INTERVAL_MS,
  type LiveViewer,
  pathOf,
  startLiveFeed,
  type UpgradeRouter,
} from '../../kernel/ws-upgrade';
import { createUpgradeGate, gatedRoute, isStillGranted } from '../sessions/live/upgrade-gate';
import { conversationOutput, messageOutput } from './api';
import { chatClientOf, clientChatBase, type PortalKind } from './clients';
import { onChatMessage } from './service';
import {
  conversationMessages,
  findClientConversation,
  findConversation,
  lastMessageId,
  type MessageRow,
  markRead,
  messagesAfter,
  setClientOnlineUntil,
} from './store';

export const STAFF_CHAT_LIVE_PATH = '/api/v1/chat/live';
const CLIENT_CHAT_LIVE_SUFFIX = '/chat/live';
const CLIENT_CHAT_LIVE_PATH = /^\/(account|portal)\/([^/]+)\/chat\/live$/;
/** Messages written on another node reach this node's sockets within this; this node's own at once. */
const POLL_INTERVAL_MS = 1_000;
/** A client counts as connected this long after the last keep-alive round saw its socket. */
const CLIENT_PRESENCE_MS = 2 * FEED_PING_INTERVAL_MS;
/**
 * Ids below the last one sent that are read again each poll: PostgreSQL numbers rows before commit, so
 * two writers in flight may commit out of order; a lower id committed late is still within this many.
 */
const REORDER_WINDOW_IDS = 20;
/** Messages read per ISP per poll: a burst larger than this is sent over the next polls. */
const MESSAGES_PER_POLL = 100;
/** Staff screens and chatting clients of one ISP on one node. */
const CONNECTIONS_PER_TENANT_MAX = 200;
/** One node's whole share of chat sockets. */
const CONNECTIONS_MAX = 2_000;

/** A viewer's scope is its ISP. Staff see the whole ISP; a client only their own conversation (by client identity). */
type Role =
  | { kind: 'staff'; principalId: string }
  | { kind: 'client'; portal: PortalKind; slug: string; clientId: string };

type Viewer = LiveViewer<Role>;

interface TenantRoom {
  tenantId: string;
  database: SqlDatabase;
  viewers: Set<Viewer>;
  /** The highest message id sent to the room; null until read at the room's start. */
  lastSentId: number | null;
  /** The last message id when the room opened: the pages show those already. */
  startId: number;
  /** Ids sent within the reorder window below lastSentId (never sent twice). */
  sentIds: Set<number>;
  isPolling: boolean;
}

export interface ChatFeed {
  stop(): Promise<void>;
}

const clientIdOf = (client: { kind: string; key: string }) => `${client.kind}:${client.key}`;

/** A message as the client's page shows it: attachments under the client's own portal path. */
function clientMessageOutput(message: MessageRow, base: string) {
  return {
    id: message.id,
    author: message.authorKind,
    body: message.body,
    createdAt: message.createdAt,
    attachment:
      message.attachment === null
        ? null
        : { fileName: message.attachment.fileName, url: `${base}/attachments/${message.attachment.id}` },
  };
}

type ClientGrant = {
  tenantId: string;
  database: SqlDatabase;
  clientId: string;
  conversationId: string | null;
};

/** The client gate: the portal's own cookie, checked as its pages check it, and a same-site Origin. */
function createClientGate(dependencies: ApiDependencies) {
  const grants = new WeakMap<Request, ClientGrant>();
  const gate = new Hono<AppEnv>();
  gate.onError(apiErrorHandler(dependencies.logger));
  gate.get('/:portal{account|portal}/:slug/chat/live', async (context) => {
    if (
      !isAllowedOrigin(
        context.req.header('origin'),
        context.req.header('x-upgrade-host'),
        dependencies.publicUrl,
      )
    )
      throw new KiungaError('forbidden', 'A chat socket must come from this site.');
    const portal = context.req.param('portal') as PortalKind;
    const signed = await chatClientOf(portal)(dependencies, context, context.req.param('slug'));
    if (signed === null) throw new KiungaError('unauthenticated', 'Open the chat page again.');
    const conversation = await findClientConversation(signed.database, signed.client);
    grants.set(context.req.raw, {
      tenantId: signed.tenant.id,
      database: signed.database,
      clientId: clientIdOf(signed.client),
      conversationId: conversation?.id ?? null,
    });
    return context.body(null, 204);
  });
  return {
    async check(
      request: IncomingMessage,
    ): Promise<{ grant: ClientGrant } | { refusal: { status: number; body: string } }> {
      const headers = new Headers();
      for (const name of ['cookie', 'origin'] as const) {
        const value = request.headers[name];
        if (typeof value === 'string') headers.set(name, value);
      }
      if (typeof request.headers.host === 'string') headers.set('x-upgrade-host', request.headers.host);
      const gateRequest = new Request(`http://upgrade.invalid${pathOf(request.url)}`, { headers });
      const response = await gate.fetch(gateRequest);
      const grant = grants.get(gateRequest);
      if (grant && response.status === 204) return { grant };
      return { refusal: { status: response.status, body: await response.text() } };
    },
  };
}

export function startChatFeed(upgrades: UpgradeRouter, dependencies: ApiDependencies): ChatFeed {
  const staffGate = createUpgradeGate(dependencies, { permission: 'chat.read', scopeOf: tenantIdOf });
  const clientGate = createClientGate(dependencies);
  const rooms = new Map<string, TenantRoom>();

  const clientViewers = (room: TenantRoom, clientId: string) =>
    [...room.viewers].filter(
      (viewer) => viewer.identity.kind === 'client' && viewer.identity.clientId === clientId,
    );

  const deliver = async (tenantId: string, room: TenantRoom, message: MessageRow) => {
    const conversation = await findConversation(room.database, message.conversationId);
    if (conversation === null) return;
    const clientId = clientIdOf({ kind: conversation.clientKind, key: conversation.clientKey });
    const toClient = clientViewers(room, clientId);
    if (message.authorKind === 'staff' && toClient.length > 0) {
      // The client's page shows it now: it is read, and no SMS is owed for it.
      await markRead(room.database, conversation.id, 'client');
    }
    const staffText = JSON.stringify({
      type: 'message',
      conversation: conversationOutput(conversation),
      message: messageOutput(message),
    });
    for (const viewer of room.viewers) {
      if (viewer.identity.kind === 'staff') viewer.sender.offer(staffText);
    }
    for (const viewer of toClient) {
      const role = viewer.identity;
      if (role.kind !== 'client') continue;
      const base = clientChatBase(role.portal, role.slug);
      viewer.sender.offer(JSON.stringify({ type: 'message', message: clientMessageOutput(message, base) }));
    }
    dependencies.logger.debug({ tenantId, messageId: message.id }, 'chat message delivered');
  };

  const pollRoom = async (tenantId: string, room: TenantRoom) => {
    if (room.isPolling || room.lastSentId === null) return;
    room.isPolling = true;
    try {
      const windowStart = Math.max(0, room.lastSentId - REORDER_WINDOW_IDS);
      const messages = await messagesAfter(room.database, windowStart, MESSAGES_PER_POLL);
      for (const message of messages) {
        if (message.id <= room.startId || room.sentIds.has(message.id)) continue;
        room.sentIds.add(message.id);
        room.lastSentId = Math.max(room.lastSentId, message.id);
        await deliver(tenantId, room, message);
      }
      const floor = room.lastSentId - REORDER_WINDOW_IDS;
      for (const id of room.sentIds) if (id <= floor) room.sentIds.delete(id);
    } catch (error) {
      dependencies.logger.error({ err: error, tenantId }, 'chat feed poll failed');
    } finally {
      room.isPolling = false;
    }
  };

  const roomOf = (tenantId: string): TenantRoom => {
    const existing = rooms.get(tenantId);
    if (existing) return existing;
    const room: TenantRoom = {
      tenantId,
      database: dependencies.databases.forTenant(tenantId),
      viewers: new Set(),
      lastSentId: null,
      startId: 0,
      sentIds: new Set(),
      isPolling: false,
    };
    rooms.set(tenantId, room);
    lastMessageId(room.database).then(
      (id) => {
        if (room.lastSentId !== null) return;
        room.startId = id;
        room.lastSentId = id;
      },
      (error: unknown) => dependencies.logger.error({ err: error, tenantId }, 'chat feed start failed'),
    );
    return room;
  };

  /**
   * Stores whether the client has a socket here, one write at a time per client (a closing tab and
   * its reload race otherwise): each write reads the sockets when it runs, not when it was asked for.
   */
  const presenceWrites = new Map<string, Promise<void>>();
  const markClientPresence = (room: TenantRoom, clientId: string): Promise<void> => {
    const write = async () => {
      const [kind = '', ...rest] = clientId.split(':');
      const conversation = await findClientConversation(room.database, {
        kind: kind as 'subscriber',
        key: rest.join(':'),
      });
      if (conversation === null) return;
      const isHere = [...feed.viewers()].some(
        (viewer) =>
          viewer.scope === room.tenantId &&
          viewer.identity.kind === 'client' &&
          viewer.identity.clientId === clientId,
      );
      const untilMs = isHere ? dependencies.clock.now() + CLIENT_PRESENCE_MS : 0;
      await setClientOnlineUntil(room.database, conversation.id, untilMs);
    };
    const key = `${room.tenantId}|${clientId}`;
    const next = (presenceWrites.get(key) ?? Promise.resolve())
      .then(write)
      .catch((error: unknown) =>
        dependencies.logger.error({ err: error, clientId }, 'chat presence write failed'),
      );
    presenceWrites.set(key, next);
    void next.then(() => {
      if (presenceWrites.get(key) === next) presenceWrites.delete(key);
    });
    return next;
  };

  /** Messages the client's page does not show yet, sent on connect (`?after=<id>`: what it shows). */
  const backlogs = new WeakMap<IncomingMessage, MessageRow[]>();

  const feed = startLiveFeed<Role>(upgrades, {
    name: 'chat feed',
    logger: dependencies.logger,
    routes: [
      gatedRoute<Role>(STAFF_CHAT_LIVE_PATH, staffGate, (grant) => ({
        kind: 'staff',
        principalId: grant.principal.id,
      })),
      {
        path: CLIENT_CHAT_LIVE_SUFFIX,
        isSuffix: true,
        async admit(request) {
          const match = CLIENT_CHAT_LIVE_PATH.exec(pathOf(request.url));
          if (!match) return { refusal: new KiungaError('not_found', 'No WebSocket here.') };
          const outcome = await clientGate.check(request);
          if ('refusal' in outcome) return outcome;
          const { grant } = outcome;
          const after = Number(
            new URL(request.url ?? '/', 'http://upgrade.invalid').searchParams.get('after'),
          );
          if (grant.conversationId !== null && Number.isSafeInteger(after) && after > 0) {
            const messages = await conversationMessages(
              grant.database,
              grant.conversationId,
              MESSAGES_PER_POLL,
            );
            backlogs.set(
              request,
              messages.filter((message) => message.id > after),
            );
          }
          return {
            scope: grant.tenantId,
            identity: {
              kind: 'client',
              portal: match[1] as PortalKind,
              slug: match[2] ?? '',
              clientId: grant.clientId,
            },
          };
        },
      },
    ],
    caps: {
      perScopeMax: CONNECTIONS_PER_TENANT_MAX,
      overallMax: CONNECTIONS_MAX,
      refusalMessage: () => 'Too many chat connections; try again later.',
    },
    // Every message matters: a viewer far behind is cut, and its page reconnects and catches up.
    backPressure: 'close',
    async isStillAllowed(viewer) {
      const role = viewer.identity;
      if (role.kind === 'staff') return isStillGranted(staffGate, viewer, role.principalId);
      const outcome = await clientGate.check(viewer.request);
      const isAllowed =
        'grant' in outcome &&
        outcome.grant.tenantId === viewer.scope &&
        outcome.grant.clientId === role.clientId;
      const room = rooms.get(viewer.scope);
      if (isAllowed && room) await markClientPresence(room, role.clientId);
      return isAllowed;
    },
    onWelcome(viewer) {
      const room = roomOf(viewer.scope);
      room.viewers.add(viewer);
      const role = viewer.identity;
      if (role.kind === 'client') {
        const base = clientChatBase(role.portal, role.slug);
        for (const message of backlogs.get(viewer.request) ?? [])
          viewer.sender.offer(
            JSON.stringify({ type: 'message', message: clientMessageOutput(message, base) }),
          );
        backlogs.delete(viewer.request);
        // 'ready' once the shard knows the client is here: a reply from now on owes no SMS.
        void markClientPresence(room, role.clientId).then(() =>
          viewer.sender.offer(JSON.stringify({ type: 'ready' })),
        );
        return;
      }
      viewer.sender.offer(JSON.stringify({ type: 'ready' }));
    },
    onForget(viewer) {
      const room = rooms.get(viewer.scope);
      room?.viewers.delete(viewer);
      const role = viewer.identity;
      if (room && role.kind === 'client' && clientViewers(room, role.clientId).length === 0) {
        void markClientPresence(room, role.clientId);
      }
      if (room && room.viewers.size === 0) rooms.delete(viewer.scope);
    },
    tick: {
      intervalMs: POLL_INTERVAL_MS,
      async run() {
        for (const [tenantId, room] of rooms) await pollRoom(tenantId, room);
      },
    },
  });

  onChatMessage(dependencies, (tenantId) => {
    const room = rooms.get(tenantId);
    if (room) void pollRoom(tenantId, room);
  });

  return {
    async stop() {
      onChatMessage(dependencies, null);
      rooms.clear();
      await feed.stop();
    },
  };
}
