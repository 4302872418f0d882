// WebSocket upgrades on the API's HTTP server: one 'upgrade' listener routes each request to the
// live feed that claims its path (the ISP sessions feed, the platform live view, support, chat); any other
// path is answered 404 in the API's one error shape. Also the one feed helper they all run on
// (startLiveFeed): admission under caps, keep-alive, back-pressure, the tick and the stop.
import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { KiungaError } from '@kiunga/schemas';
import { type WebSocket, WebSocketServer } from 'ws';
import { coalescingSender, SOCKET_BUFFERED_BYTES_MAX } from './back-pressure';
import type { ApiDependencies } from './dependencies';

/** Paths longer than this are cut in the 404 message: it repeats what the client sent. */
const PATH_SHOWN_CHARS_MAX = 200;

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface UpgradeRouter {
  /** Sends upgrades of `path` to `handler` until it is removed. */
  register(path: string, handler: UpgradeHandler): void;
  unregister(path: string): void;
  /**
   * Sends upgrades of paths that end in `suffix` to `handler` when no exact path claims them: the
   * portals' chat sockets live under each ISP's own path (`/account/<slug>/chat/live`), where the
   * portal's cookie is sent.
   */
  registerSuffix(suffix: string, handler: UpgradeHandler): void;
  unregisterSuffix(suffix: string): void;
}

export function createUpgradeRouter(server: Server): UpgradeRouter {
  const handlers = new Map<string, UpgradeHandler>();
  const suffixHandlers = new Map<string, UpgradeHandler>();
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = pathOf(request.url);
    const handler = handlers.get(path) ?? [...suffixHandlers].find(([suffix]) => path.endsWith(suffix))?.[1];
    if (handler) return handler(request, socket, head);
    refuseWith(socket, new KiungaError('not_found', `No WebSocket at ${path}.`));
  });
  return {
    register: (path, handler) => handlers.set(path, handler),
    unregister: (path) => handlers.delete(path),
    registerSuffix: (suffix, handler) => suffixHandlers.set(suffix, handler),
    unregisterSuffix: (suffix) => suffixHandlers.delete(suffix),
  };
}

/** The request's path without its query, cut short for messages. */
export function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  return path.length > PATH_SHOWN_CHARS_MAX ? `${path.slice(0, PATH_SHOWN_CHARS_MAX)}…` : path;
}

/** Refusals decided by a feed (path, caps, stopping) in the API's one error shape. */
export function refuseWith(socket: Duplex, error: KiungaError): void {
  refuse(socket, error.httpStatus, JSON.stringify({ error: { code: error.code, message: error.message } }));
}

/** An upgrade refused is answered as HTTP (status and JSON error) before the socket is closed. */
export function refuse(socket: Duplex, status: number, body: string): void {
  if (socket.destroyed) return;
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ].join('\r\n');
  socket.end(`${head}\r\n\r\n${body}`, () => socket.destroy());
}

/** Resolves once `isDone()` holds or `timeoutMs` has passed (a stopping feed's grace for close frames). */
export function waitUntil(isDone: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = Date.now() + timeoutMs;
    const check = () => {
      if (isDone() || Date.now() >= deadline) return resolve();
      setTimeout(check, 20);
    };
    check();
  });
}

/** Keep-alive: proxies drop idle sockets after about a minute; a peer that misses one ping is gone. */
export const FEED_PING_INTERVAL_MS = 30_000;
/** Viewers send nothing; anything bigger than a small frame is refused by ws. */
const INCOMING_MESSAGE_BYTES_MAX = 1_024;
/** On stop, peers get this long to answer the close frame before their sockets are cut. */
const STOP_GRACE_MS = 1_000;

/**
 * How a feed's socket that falls behind is treated: `coalesce` keeps only the newest message for later (a
 * snapshot or a nudge supersedes the one before); `close` cuts it with 1013 (each message matters: the page
 * reconnects and reads what it missed).
 */
export type BackPressure = 'coalesce' | 'close';

/** A message writer of one socket under its feed's back-pressure. */
export interface FeedSender {
  offer(text: string): void;
  /** Sends what a coalescing sender kept, once the socket has drained; called before every tick. */
  flush(): void;
}

function feedSenderOf(socket: WebSocket, backPressure: BackPressure): FeedSender {
  if (backPressure === 'coalesce') return coalescingSender(socket);
  return {
    offer(text) {
      if (socket.bufferedAmount > SOCKET_BUFFERED_BYTES_MAX) return socket.close(1013, 'Too far behind');
      socket.send(text);
    },
    flush() {},
  };
}

export type Admission = { isAdmitted: true } | { isAdmitted: false; reason: 'tenant_full' | 'server_full' };

/** Whether one more connection fits under a feed's caps: the node's first, then the room's. */
export function admitConnection(
  counts: { tenantConnections: number; allConnections: number },
  limits: { perTenantMax: number; overallMax: number },
): Admission {
  if (counts.allConnections >= limits.overallMax) return { isAdmitted: false, reason: 'server_full' };
  if (counts.tenantConnections >= limits.perTenantMax) return { isAdmitted: false, reason: 'tenant_full' };
  return { isAdmitted: true };
}

/** One watcher of a feed: who it is (`identity`, the feed's own), the room it counts in, its socket. */
export interface LiveViewer<Identity> {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
  /** The room the connection caps count in: a tenant id, or 'platform'. */
  readonly scope: string;
  readonly identity: Identity;
  readonly sender: FeedSender;
  /** Answered the last ping. */
  isAlive: boolean;
}

/** What a route's admission decides: a refusal (answered as HTTP), or who is let in. */
export type FeedAdmission<Identity> =
  | { refusal: KiungaError | { status: number; body: string } }
  | {
      scope: string;
      identity: Identity;
      /** Runs once the caps let the viewer in, before its socket is welcomed (a feed's cursor, say). */
      prepare?: () => Promise<void>;
    };

export interface LiveFeedRoute<Identity> {
  /** Exactly this path, or (with `suffix`) any path that ends so and no exact path claims. */
  path: string;
  isSuffix?: boolean;
  /** Authenticates the upgrade request (the feed's gate) and names the viewer. */
  admit(request: IncomingMessage): Promise<FeedAdmission<Identity>>;
}

export interface LiveFeedOptions<Identity> {
  /** For logs: "<name> upgrade failed", "<name> socket error", "<name> tick failed". */
  name: string;
  logger: ApiDependencies['logger'];
  routes: readonly LiveFeedRoute<Identity>[];
  caps: {
    perScopeMax: number;
    overallMax: number;
    /** The 429 message of a refused connection. */
    refusalMessage: (reason: 'tenant_full' | 'server_full') => string;
  };
  backPressure: BackPressure;
  /** Asked every keep-alive round: a revoked session, an expired token or a lost permission closes with 1008. */
  isStillAllowed(viewer: LiveViewer<Identity>): Promise<boolean>;
  /** A socket is in: the feed sends what it sends first. */
  onWelcome(viewer: LiveViewer<Identity>): void;
  /** A socket is gone (closed, errored, cut as dead); not called on stop. */
  onForget?(viewer: LiveViewer<Identity>): void;
  /** The feed's own work every `intervalMs` (a poll, a push), never two at once; senders are flushed first. */
  tick?: { intervalMs: number; run: () => Promise<void> };
}

export interface LiveFeed<Identity> {
  viewers(): IterableIterator<LiveViewer<Identity>>;
  viewerOf(socket: WebSocket): LiveViewer<Identity> | undefined;
  readonly viewerCount: number;
  /** Closes every socket as going away (cut after a grace), unregisters the routes, ends the timers. */
  stop(): Promise<void>;
}

/**
 * A live feed's WebSocket plumbing, the same for every feed: the routes' upgrades (refused while stopping, past
 * the gate, under the per-room and per-node caps), the welcome with keep-alive (a peer that misses a ping is
 * cut; each viewer's access asked again), back-pressure, the tick and the stop. The feed keeps only its data.
 */
export function startLiveFeed<Identity>(
  upgrades: UpgradeRouter,
  options: LiveFeedOptions<Identity>,
): LiveFeed<Identity> {
  const { logger, name, caps } = options;
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: INCOMING_MESSAGE_BYTES_MAX });
  const viewers = new Map<WebSocket, LiveViewer<Identity>>();
  let isStopping = false;
  let isTicking = false;

  const forget = (socket: WebSocket) => {
    const viewer = viewers.get(socket);
    if (!viewer) return;
    viewers.delete(socket);
    options.onForget?.(viewer);
  };

  const welcome = (viewer: LiveViewer<Identity>) => {
    const { socket } = viewer;
    viewers.set(socket, viewer);
    socket.on('pong', () => {
      viewer.isAlive = true;
    });
    socket.on('close', () => forget(socket));
    socket.on('error', (error) => {
      logger.debug({ err: error, scope: viewer.scope }, `${name} socket error`);
      forget(socket);
    });
    options.onWelcome(viewer);
  };

  const refuseStopping = (socket: Duplex) =>
    refuseWith(socket, new KiungaError('service_unavailable', 'The server is stopping.'));

  const admitUpgrade = async (
    route: LiveFeedRoute<Identity>,
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ) => {
    if (isStopping) return refuseStopping(socket);
    const admission = await route.admit(request);
    if ('refusal' in admission) {
      const { refusal } = admission;
      if (refusal instanceof KiungaError) return refuseWith(socket, refusal);
      return refuse(socket, refusal.status, refusal.body);
    }
    let scopeCount = 0;
    for (const viewer of viewers.values()) if (viewer.scope === admission.scope) scopeCount += 1;
    const decision = admitConnection(
      { tenantConnections: scopeCount, allConnections: viewers.size },
      { perTenantMax: caps.perScopeMax, overallMax: caps.overallMax },
    );
    if (!decision.isAdmitted)
      return refuseWith(socket, new KiungaError('rate_limited', caps.refusalMessage(decision.reason)));
    await admission.prepare?.();
    if (isStopping) return refuseStopping(socket);
    if (socket.destroyed) return;
    webSockets.handleUpgrade(request, socket, head, (webSocket) =>
      welcome({
        socket: webSocket,
        request,
        scope: admission.scope,
        identity: admission.identity,
        sender: feedSenderOf(webSocket, options.backPressure),
        isAlive: true,
      }),
    );
  };

  const handlerOf =
    (route: LiveFeedRoute<Identity>): UpgradeHandler =>
    (request, socket, head) => {
      void admitUpgrade(route, request, socket, head).catch((error: unknown) => {
        logger.error({ err: error }, `${name} upgrade failed`);
        refuseWith(socket, new KiungaError('internal_error'));
      });
    };

  for (const route of options.routes) {
    if (route.isSuffix) upgrades.registerSuffix(route.path, handlerOf(route));
    else upgrades.register(route.path, handlerOf(route));
  }

  const tick = options.tick;
  const tickTimer =
    tick === undefined
      ? null
      : setInterval(() => {
          if (isTicking) return;
          isTicking = true;
          for (const viewer of viewers.values()) viewer.sender.flush();
          tick
            .run()
            .catch((error: unknown) => logger.error({ err: error }, `${name} tick failed`))
            .finally(() => {
              isTicking = false;
            });
        }, tick.intervalMs);

  const pingTimer = setInterval(() => {
    pingViewers(viewers, forget, options.isStillAllowed).catch((error: unknown) =>
      logger.error({ err: error }, `${name} ping failed`),
    );
  }, FEED_PING_INTERVAL_MS);

  return {
    viewers: () => viewers.values(),
    viewerOf: (socket) => viewers.get(socket),
    get viewerCount() {
      return viewers.size;
    },
    async stop() {
      isStopping = true;
      if (tickTimer !== null) clearInterval(tickTimer);
      clearInterval(pingTimer);
      for (const route of options.routes) {
        if (route.isSuffix) upgrades.unregisterSuffix(route.path);
        else upgrades.unregister(route.path);
      }
      const open = [...viewers.keys()];
      viewers.clear();
      await closeFeedSockets(webSockets, open, STOP_GRACE_MS);
    },
  };
}

/**
 * One keep-alive round: a socket that missed the last ping is cut (and forgotten), the others are
 * pinged and asked again whether they may still watch (a revoked session, an expired token or a
 * lost permission closes the feed with 1008).
 */
async function pingViewers<Viewer extends { isAlive: boolean }>(
  viewers: ReadonlyMap<WebSocket, Viewer>,
  forget: (socket: WebSocket) => void,
  isStillAllowed: (viewer: Viewer) => Promise<boolean>,
): Promise<void> {
  for (const [socket, viewer] of viewers) {
    if (!viewer.isAlive) {
      socket.terminate();
      forget(socket);
      continue;
    }
    viewer.isAlive = false;
    socket.ping();
    if (!(await isStillAllowed(viewer))) socket.close(1008, 'Access ended');
  }
}

/** A stopping feed: its sockets closed as going away, cut after `graceMs`, then its ws server closed. */
async function closeFeedSockets(
  webSockets: WebSocketServer,
  open: readonly WebSocket[],
  graceMs: number,
): Promise<void> {
  for (const socket of open) socket.close(1001, 'Server stopping');
  await waitUntil(() => open.every((socket) => socket.readyState === socket.CLOSED), graceMs);
  for (const socket of open) socket.terminate();
  await new Promise<void>((resolve) => webSockets.close(() => resolve()));
}
