// WebSockets of client chat: /api/v1/chat/live for the ISP's staff (every new message of their ISP,
// with the conversation's unread count) and <portal chat>/live for a client (the messages of their
// own conversation). Each watched ISP's shard is read for "messages after the last one sent" on a
// short poll and at once when this node wrote one (the service's nudge), so a message written on
// any node reaches every node's sockets. A client's presence (for the offline-reply SMS) is kept in
// the shard by the keep-alive round.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { Hono } from 'hono';
import { type WebSocket, WebSocketServer } from 'ws';
import { apiErrorHandler } from '../../app';
import { isAllowedOrigin } from '../../identity/origin';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { tenantIdOf } from '../../kernel/tenant-access';
import {
  closeFeedSockets,
  pathOf,
  pingViewers,
  refuse,
  refuseWith,
  type UpgradeRouter,
} from '../../kernel/ws-upgrade';
import { SOCKET_BUFFERED_BYTES_MAX } from '../sessions/live/back-pressure';
import { admitConnection } from '../sessions/live/feed-policy';
import { createUpgradeGate } from '../sessions/live/upgrade-gate';
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
/** Keep-alive: proxies drop idle sockets after about a minute; a peer that misses one ping is gone. */
const PING_INTERVAL_MS = 30_000;
/** A client counts as connected this long after the last keep-alive round saw its socket. */
const CLIENT_PRESENCE_MS = 2 * PING_INTERVAL_MS;
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
/** Viewers send nothing; anything bigger than a small frame is refused by ws. */
const INCOMING_MESSAGE_BYTES_MAX = 1_024;
/** On stop, peers get this long to answer the close frame before their sockets are cut. */
const STOP_GRACE_MS = 1_000;

interface Viewer {
  tenantId: string;
  request: IncomingMessage;
  isAlive: boolean;
  /** Staff see the whole ISP; a client only their own conversation (by client identity). */
  role:
    | { kind: 'staff'; principalId: string }
    | { kind: 'client'; portal: PortalKind; slug: string; clientId: string };
}

interface TenantRoom {
  tenantId: string;
  database: SqlDatabase;
  sockets: Set<WebSocket>;
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
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: INCOMING_MESSAGE_BYTES_MAX });
  const viewers = new Map<WebSocket, Viewer>();
  const rooms = new Map<string, TenantRoom>();
  let isStopping = false;

  /** Writes unless the socket is far behind; such a viewer is cut (its page reconnects and catches up). */
  const send = (socket: WebSocket, text: string) => {
    if (socket.bufferedAmount > SOCKET_BUFFERED_BYTES_MAX) return socket.close(1013, 'Too far behind');
    socket.send(text);
  };

  const clientSockets = (room: TenantRoom, clientId: string) =>
    [...room.sockets].filter((socket) => {
      const role = viewers.get(socket)?.role;
      return role?.kind === 'client' && role.clientId === clientId;
    });

  const deliver = async (tenantId: string, room: TenantRoom, message: MessageRow) => {
    const conversation = await findConversation(room.database, message.conversationId);
    if (conversation === null) return;
    const clientId = clientIdOf({ kind: conversation.clientKind, key: conversation.clientKey });
    const toClient = clientSockets(room, clientId);
    if (message.authorKind === 'staff' && toClient.length > 0) {
      // The client's page shows it now: it is read, and no SMS is owed for it.
      await markRead(room.database, conversation.id, 'client');
    }
    const staffText = JSON.stringify({
      type: 'message',
      conversation: conversationOutput(conversation),
      message: messageOutput(message),
    });
    for (const socket of room.sockets) {
      const viewer = viewers.get(socket);
      if (viewer?.role.kind === 'staff') send(socket, staffText);
    }
    for (const socket of toClient) {
      const role = viewers.get(socket)?.role;
      if (role?.kind !== 'client') continue;
      const base = clientChatBase(role.portal, role.slug);
      send(socket, JSON.stringify({ type: 'message', message: clientMessageOutput(message, base) }));
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
      sockets: new Set(),
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

  const forget = (socket: WebSocket) => {
    const viewer = viewers.get(socket);
    if (!viewer) return;
    viewers.delete(socket);
    const room = rooms.get(viewer.tenantId);
    room?.sockets.delete(socket);
    if (room && viewer.role.kind === 'client' && clientSockets(room, viewer.role.clientId).length === 0) {
      void markClientPresence(room, viewer.role.clientId);
    }
    if (room && room.sockets.size === 0) rooms.delete(viewer.tenantId);
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
      const isHere = [...viewers.values()].some(
        (viewer) =>
          viewer.tenantId === room.tenantId &&
          viewer.role.kind === 'client' &&
          viewer.role.clientId === clientId,
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

  const welcome = (socket: WebSocket, viewer: Viewer, backlog: MessageRow[]) => {
    viewers.set(socket, viewer);
    const room = roomOf(viewer.tenantId);
    room.sockets.add(socket);
    socket.on('pong', () => {
      viewer.isAlive = true;
    });
    socket.on('close', () => forget(socket));
    socket.on('error', (error) => {
      dependencies.logger.debug({ err: error, tenantId: viewer.tenantId }, 'chat socket error');
      forget(socket);
    });
    if (viewer.role.kind === 'client') {
      const base = clientChatBase(viewer.role.portal, viewer.role.slug);
      for (const message of backlog)
        send(socket, JSON.stringify({ type: 'message', message: clientMessageOutput(message, base) }));
      // 'ready' once the shard knows the client is here: a reply from now on owes no SMS.
      void markClientPresence(room, viewer.role.clientId).then(() =>
        send(socket, JSON.stringify({ type: 'ready' })),
      );
      return;
    }
    send(socket, JSON.stringify({ type: 'ready' }));
  };

  const admit = (
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    tenantId: string,
    viewer: () => Viewer,
    backlog: MessageRow[],
  ) => {
    const admission = admitConnection(
      { tenantConnections: rooms.get(tenantId)?.sockets.size ?? 0, allConnections: viewers.size },
      { perTenantMax: CONNECTIONS_PER_TENANT_MAX, overallMax: CONNECTIONS_MAX },
    );
    if (!admission.isAdmitted)
      return refuseWith(
        socket,
        new KiungaError('rate_limited', 'Too many chat connections; try again later.'),
      );
    if (isStopping)
      return refuseWith(socket, new KiungaError('service_unavailable', 'The server is stopping.'));
    if (socket.destroyed) return;
    webSockets.handleUpgrade(request, socket, head, (webSocket) => welcome(webSocket, viewer(), backlog));
  };

  const onStaffUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void (async () => {
      if (isStopping)
        return refuseWith(socket, new KiungaError('service_unavailable', 'The server is stopping.'));
      const outcome = await staffGate.check(request);
      if ('refusal' in outcome) return refuse(socket, outcome.refusal.status, outcome.refusal.body);
      const { scope: tenantId, principal } = outcome.grant;
      admit(
        request,
        socket,
        head,
        tenantId,
        () => ({
          tenantId,
          request,
          isAlive: true,
          role: { kind: 'staff', principalId: principal.id },
        }),
        [],
      );
    })().catch((error: unknown) => {
      dependencies.logger.error({ err: error }, 'chat staff upgrade failed');
      refuseWith(socket, new KiungaError('internal_error'));
    });
  };

  const onClientUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void (async () => {
      if (isStopping)
        return refuseWith(socket, new KiungaError('service_unavailable', 'The server is stopping.'));
      const match = CLIENT_CHAT_LIVE_PATH.exec(pathOf(request.url));
      if (!match) return refuseWith(socket, new KiungaError('not_found', 'No WebSocket here.'));
      const outcome = await clientGate.check(request);
      if ('refusal' in outcome) return refuse(socket, outcome.refusal.status, outcome.refusal.body);
      const { grant } = outcome;
      // `?after=<id>`: what the page already shows; the rest of the conversation is sent on connect.
      const after = Number(new URL(request.url ?? '/', 'http://upgrade.invalid').searchParams.get('after'));
      const backlog =
        grant.conversationId !== null && Number.isSafeInteger(after) && after > 0
          ? (await conversationMessages(grant.database, grant.conversationId, MESSAGES_PER_POLL)).filter(
              (message) => message.id > after,
            )
          : [];
      admit(
        request,
        socket,
        head,
        grant.tenantId,
        () => ({
          tenantId: grant.tenantId,
          request,
          isAlive: true,
          role: {
            kind: 'client',
            portal: match[1] as PortalKind,
            slug: match[2] ?? '',
            clientId: grant.clientId,
          },
        }),
        backlog,
      );
    })().catch((error: unknown) => {
      dependencies.logger.error({ err: error }, 'chat client upgrade failed');
      refuseWith(socket, new KiungaError('internal_error'));
    });
  };

  const poll = async () => {
    for (const [tenantId, room] of rooms) await pollRoom(tenantId, room);
  };

  const ping = () =>
    pingViewers(viewers, forget, async (viewer) => {
      if (viewer.role.kind === 'staff') {
        const outcome = await staffGate.check(viewer.request);
        return (
          'grant' in outcome &&
          outcome.grant.scope === viewer.tenantId &&
          outcome.grant.principal.id === viewer.role.principalId
        );
      }
      const outcome = await clientGate.check(viewer.request);
      const isAllowed =
        'grant' in outcome &&
        outcome.grant.tenantId === viewer.tenantId &&
        outcome.grant.clientId === viewer.role.clientId;
      const room = rooms.get(viewer.tenantId);
      if (isAllowed && room) await markClientPresence(room, viewer.role.clientId);
      return isAllowed;
    });

  upgrades.register(STAFF_CHAT_LIVE_PATH, onStaffUpgrade);
  upgrades.registerSuffix(CLIENT_CHAT_LIVE_SUFFIX, onClientUpgrade);
  onChatMessage(dependencies, (tenantId) => {
    const room = rooms.get(tenantId);
    if (room) void pollRoom(tenantId, room);
  });
  const pollTimer = setInterval(() => void poll(), POLL_INTERVAL_MS);
  const pingTimer = setInterval(() => {
    ping().catch((error: unknown) => dependencies.logger.error({ err: error }, 'chat feed ping failed'));
  }, PING_INTERVAL_MS);

  return {
    async stop() {
      isStopping = true;
      clearInterval(pollTimer);
      clearInterval(pingTimer);
      onChatMessage(dependencies, null);
      upgrades.unregister(STAFF_CHAT_LIVE_PATH);
      upgrades.unregisterSuffix(CLIENT_CHAT_LIVE_SUFFIX);
      const open = [...viewers.keys()];
      viewers.clear();
      rooms.clear();
      await closeFeedSockets(webSockets, open, STOP_GRACE_MS);
    },
  };
}
