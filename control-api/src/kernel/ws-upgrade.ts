// WebSocket upgrades on the API's HTTP server: one 'upgrade' listener routes each request to the
// live feed that claims its path (the ISP sessions feed, the platform live view); any other path is
// answered 404 in the API's one error shape. Also what the feeds share: refusals, the keep-alive
// round and the stop.
import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { KiungaError } from '@kiunga/schemas';
import type { WebSocket, WebSocketServer } from 'ws';

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

/** A feed's viewer as the keep-alive round sees it: answered the last ping or not. */
export interface PingedViewer {
  isAlive: boolean;
}

/**
 * One keep-alive round: a socket that missed the last ping is cut (and forgotten), the others are
 * pinged and asked again whether they may still watch (a revoked session, an expired token or a
 * lost permission closes the feed with 1008).
 */
export async function pingViewers<Viewer extends PingedViewer>(
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
export async function closeFeedSockets(
  webSockets: WebSocketServer,
  open: readonly WebSocket[],
  graceMs: number,
): Promise<void> {
  for (const socket of open) socket.close(1001, 'Server stopping');
  await waitUntil(() => open.every((socket) => socket.readyState === socket.CLOSED), graceMs);
  for (const socket of open) socket.terminate();
  await new Promise<void>((resolve) => webSockets.close(() => resolve()));
}
