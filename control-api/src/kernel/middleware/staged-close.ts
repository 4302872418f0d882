// Closing a connection in stages after refusing a request whose body is still arriving (RFC 9112
// §9.6 "Tear-down"): a server that closes at once while the client is still sending makes its TCP
// stack answer the unread bytes with a reset, and "the reset packet might erase the client's
// unacknowledged input buffers before they can be read", so the client sees "connection reset"
// instead of our 413. So after the answer we half-close (FIN), read and discard what still comes for
// a bounded time and number of bytes, and only then close fully.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** How long the rest of a refused body is read and discarded after the answer, at most. */
export const LINGER_MS = 2_000;
/**
 * How much of a refused body is read and discarded, at most: a 50 MB upload on a LAN ends well
 * within this; a client that keeps sending past it has been answered long before and is cut off.
 */
export const LINGER_BYTES_MAX = 64 * 1024 * 1024;

const lingering = new WeakSet<Socket>();

/**
 * Make the socket of this request close in stages when the HTTP server closes it after the answer
 * (the answer carries `Connection: close`, so Node's server calls `destroySoon` once it is sent).
 * Does nothing outside a Node HTTP server (tests that call the app directly).
 */
export function closeInStagesAfterAnswer(env: unknown): void {
  const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const socket = incoming?.socket;
  if (!incoming || !socket || lingering.has(socket)) return;
  lingering.add(socket);
  let isLingering = false;
  socket.destroySoon = () => {
    if (isLingering) return;
    isLingering = true;
    linger(socket, incoming);
  };
}

function linger(socket: Socket, incoming: IncomingMessage): void {
  if (socket.destroyed) return;
  // The answer is flushed before the FIN: end() queues it after every pending write.
  socket.end();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  // The rest of the body goes through the HTTP parser into the refused request: read and drop it.
  // Whoever else reads that stream is gone (the request's web body, whose adapter pauses the stream
  // once its queue is full): drop their listeners, as Node does when it dumps an unread body.
  incoming.removeAllListeners('data');
  let discardedBytes = 0;
  incoming.on('data', (chunk: Buffer) => {
    discardedBytes += chunk.length;
    if (discardedBytes > LINGER_BYTES_MAX) socket.destroy();
  });
  // The whole body has arrived, or the client closed its side: nothing more can be reset.
  incoming.once('end', () => socket.destroy());
  socket.once('end', () => socket.destroy());
  incoming.resume();
  socket.resume();
}
