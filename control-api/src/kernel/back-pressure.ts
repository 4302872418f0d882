// Back-pressure of the live feeds (kernel/ws-upgrade.ts): a viewer whose browser or link is slow never
// makes the server queue without bound. Each socket holds at most one message waiting: a newer snapshot replaces it
// (coalesced, since a snapshot supersedes the one before), and nothing is written while the socket's
// own send buffer is over the limit. Producers (the feed's poll) never wait on a socket.

/** What the feed needs of a socket (ws's WebSocket has both). */
export interface BufferedSocket {
  readonly bufferedAmount: number;
  send(text: string): void;
}

/**
 * Bytes a socket may have unsent before the feed stops writing to it: a few full snapshots (one is
 * ~50 sessions of JSON, ~20 KB), so a healthy viewer on a slow phone link is never skipped.
 */
export const SOCKET_BUFFERED_BYTES_MAX = 256 * 1024;

export interface CoalescingSender {
  /** Sends now if the socket keeps up; otherwise keeps only this, the latest, for later. */
  offer(text: string): void;
  /** Sends the kept message once the socket has drained; called on every feed tick. */
  flush(): void;
  /** Snapshots replaced before they could be sent (for the feed's log and tests). */
  readonly coalescedCount: number;
  readonly hasPending: boolean;
}

export function coalescingSender(
  socket: BufferedSocket,
  bufferedBytesMax: number = SOCKET_BUFFERED_BYTES_MAX,
): CoalescingSender {
  let pending: string | null = null;
  let coalescedCount = 0;
  const isBackedUp = () => socket.bufferedAmount > bufferedBytesMax;
  return {
    offer(text) {
      if (pending === null && !isBackedUp()) {
        socket.send(text);
        return;
      }
      if (pending !== null) coalescedCount += 1;
      pending = text;
      this.flush();
    },
    flush() {
      if (pending === null || isBackedUp()) return;
      const text = pending;
      pending = null;
      socket.send(text);
    },
    get coalescedCount() {
      return coalescedCount;
    },
    get hasPending() {
      return pending !== null;
    },
  };
}
