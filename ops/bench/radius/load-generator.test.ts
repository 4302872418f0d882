// Tests of the load generator against a tiny in-test RADIUS server on loopback: counts, retries, losses.
import { createSocket, type Socket } from 'node:dgram';
import {
  decodePacket,
  decryptUserPassword,
  encodeResponse,
  getString,
  getUserName,
} from '@kiunga/aaa-server/codec';
import { Attribute, PacketCode } from '@kiunga/dictionaries';
import { afterEach, describe, expect, it } from 'vitest';
import { driveLoad, requestsDueAt } from './load-generator';
import { buildAccessRequests, buildAccountingRequests, makeVoucherCodes } from './request-stream';

const SECRET = 'load-generator-secret';
const TIMEOUT_MS = 150;
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

interface FakeServer {
  readonly port: number;
  readonly sourcePorts: Set<number>;
  readonly socket: Socket;
}

let server: FakeServer | undefined;

afterEach(() => {
  server?.socket.close();
  server = undefined;
});

/**
 * Accepts a login when the password equals the user name; `shouldDrop` may ignore a datagram
 * (by its User-Name and how often that name was seen) to simulate loss.
 */
async function startFakeServer(shouldDrop: (userName: string, seen: number) => boolean): Promise<FakeServer> {
  // A default receive buffer (about 200 KiB) overflows with 300 small datagrams queued; ask for more.
  const socket = createSocket({ type: 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES });
  const seen = new Map<string, number>();
  const sourcePorts = new Set<number>();
  socket.on('message', (message, remote) => {
    const request = decodePacket(message);
    const userName = getUserName(request) ?? getString(request, Attribute.AcctSessionId) ?? '';
    const count = (seen.get(userName) ?? 0) + 1;
    seen.set(userName, count);
    sourcePorts.add(remote.port);
    if (shouldDrop(userName, count)) return;
    let code: number = PacketCode.AccountingResponse;
    if (request.code === PacketCode.AccessRequest) {
      const password = request.attributes.find((item) => item.type === Attribute.UserPassword);
      const clear = password ? decryptUserPassword(password.value, SECRET, request.authenticator) : '';
      code = clear === userName ? PacketCode.AccessAccept : PacketCode.AccessReject;
    }
    const response = encodeResponse({
      code,
      identifier: request.identifier,
      requestAuthenticator: request.authenticator,
      attributes: [],
      secret: SECRET,
    });
    socket.send(response, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, resolve));
  return { port: socket.address().port, sourcePorts, socket };
}

describe('driveLoad', () => {
  it('sends every login once and counts the accepts, over more than one socket past 200 in flight', async () => {
    server = await startFakeServer(() => false);
    const requests = buildAccessRequests(makeVoucherCodes(500), 2_000);
    const stats = await driveLoad({
      host: '127.0.0.1',
      port: server.port,
      secret: SECRET,
      code: PacketCode.AccessRequest,
      requests,
      inFlight: 300,
      // Retries cover a datagram the kernel drops where the receive buffer cannot grow (net.core.rmem_max);
      // the wait is long enough that a loaded machine's late answer is not taken for a lost one (a retry
      // sent before the first answer arrives makes that answer stale).
      timeoutMs: 5_000,
      retries: 3,
    });
    expect(stats.sent).toBe(2_000);
    expect(stats.accepted).toBe(2_000);
    expect(stats.timedOut).toBe(0);
    expect(stats.staleOrInvalidResponses).toBe(0);
    expect(server.sourcePorts.size).toBe(2);
  });

  it('retransmits what the server missed and counts as lost what it never answers', async () => {
    // Voucher bv0000001: first try dropped, retry answered. Voucher bv0000002: never answered.
    server = await startFakeServer(
      (userName, seen) => (userName === 'bv0000001' && seen === 1) || userName === 'bv0000002',
    );
    const requests = buildAccessRequests(makeVoucherCodes(4), 4);
    const stats = await driveLoad({
      host: '127.0.0.1',
      port: server.port,
      secret: SECRET,
      code: PacketCode.AccessRequest,
      requests,
      inFlight: 200,
      timeoutMs: TIMEOUT_MS,
      retries: 1,
    });
    expect(stats.accepted).toBe(3);
    expect(stats.timedOut).toBe(1);
    expect(stats.retransmits).toBe(2);
  });

  it('drives an accounting stream of Start, Interim and Stop', async () => {
    server = await startFakeServer(() => false);
    const stats = await driveLoad({
      host: '127.0.0.1',
      port: server.port,
      secret: SECRET,
      code: PacketCode.AccountingRequest,
      requests: buildAccountingRequests(makeVoucherCodes(10), 100),
      inFlight: 50,
      timeoutMs: 2_000,
      retries: 0,
    });
    expect(stats.sent).toBe(300);
    expect(stats.accountingResponses).toBe(300);
  });

  it('drives a paced run to the end: every request sent once and answered', async () => {
    server = await startFakeServer(() => false);
    const stats = await driveLoad({
      host: '127.0.0.1',
      port: server.port,
      secret: SECRET,
      code: PacketCode.AccessRequest,
      requests: buildAccessRequests(makeVoucherCodes(10), 200),
      inFlight: 200,
      timeoutMs: 2_000,
      retries: 1,
      ratePerSecond: 20_000,
    });
    expect(stats.sent).toBe(200);
    expect(stats.accepted).toBe(200);
  });

  it('refuses a rate that is not a positive whole number', () => {
    const options = {
      host: '127.0.0.1',
      port: 9,
      secret: SECRET,
      code: PacketCode.AccessRequest,
      requests: [],
      inFlight: 1,
      timeoutMs: 100,
      retries: 0,
    } as const;
    expect(() => driveLoad({ ...options, ratePerSecond: 0 })).toThrow(/ratePerSecond/);
    expect(() => driveLoad({ ...options, ratePerSecond: 2.5 })).toThrow(/ratePerSecond/);
  });
});

describe('requestsDueAt (the paced schedule)', () => {
  it('offers the first request at once, then one per 1/rate seconds, whatever the tick lateness', () => {
    expect(requestsDueAt(0, 2_000)).toBe(1);
    expect(requestsDueAt(0.4, 2_000)).toBe(1);
    expect(requestsDueAt(0.5, 2_000)).toBe(2);
    expect(requestsDueAt(1_000, 2_000)).toBe(2_001);
    // A tick that runs 7 ms late owes 70 requests at 10,000/s, not one tick's worth.
    expect(requestsDueAt(7, 10_000)).toBe(71);
    expect(requestsDueAt(-5, 10_000)).toBe(1);
  });
});
