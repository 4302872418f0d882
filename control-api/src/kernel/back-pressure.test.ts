import { describe, expect, it } from 'vitest';
import { coalescingSender } from './back-pressure';

/** A socket whose unsent bytes the test sets, as a slow browser's would pile up. */
function slowSocket() {
  const sent: string[] = [];
  return {
    sent,
    bufferedAmount: 0,
    send(text: string) {
      sent.push(text);
      this.bufferedAmount += text.length;
    },
  };
}

describe('coalescingSender', () => {
  it('sends at once while the socket keeps up', () => {
    const socket = slowSocket();
    const sender = coalescingSender(socket, 100);
    sender.offer('one');
    sender.offer('two');
    expect(socket.sent).toEqual(['one', 'two']);
    expect(sender.hasPending).toBe(false);
  });

  it('holds only the newest snapshot for a backed-up socket and sends it once drained', () => {
    const socket = slowSocket();
    const sender = coalescingSender(socket, 10);
    sender.offer('x'.repeat(11));
    // The browser reads nothing: 1,000 ticks of snapshots cost one kept message, not 1,000.
    for (let tick = 0; tick < 1_000; tick += 1) sender.offer(`snapshot ${tick}`);
    expect(socket.sent).toHaveLength(1);
    expect(sender.hasPending).toBe(true);
    expect(sender.coalescedCount).toBe(999);
    sender.flush();
    expect(socket.sent).toHaveLength(1);
    socket.bufferedAmount = 0;
    sender.flush();
    expect(socket.sent).toEqual(['x'.repeat(11), 'snapshot 999']);
    expect(sender.hasPending).toBe(false);
  });

  it('keeps a producer of 10,000 snapshots from waiting on a socket that never drains', () => {
    const socket = slowSocket();
    socket.bufferedAmount = Number.MAX_SAFE_INTEGER;
    const sender = coalescingSender(socket, 10);
    for (let tick = 0; tick < 10_000; tick += 1) sender.offer(`snapshot ${tick}`);
    expect(socket.sent).toEqual([]);
    expect(sender.coalescedCount).toBe(9_999);
    socket.bufferedAmount = 0;
    sender.flush();
    expect(socket.sent).toEqual(['snapshot 9999']);
  });
});
