// Tests of the interims bench's pre-encoded client against a tiny accounting server on loopback that
// checks every Request Authenticator: counts, retransmissions, losses and identifiers re-signed.
import { createSocket, type Socket } from 'node:dgram';
import {
  decodePacket,
  encodeResponse,
  getString,
  verifyRequestAuthenticator,
} from '@kiunga/aaa-server/codec';
import { Attribute, PacketCode } from '@kiunga/dictionaries';
import { afterEach, describe, expect, it } from 'vitest';
import { buildInterimRequest, makeVoucherCodes } from '../radius/request-stream';
import { drivePreEncodedLoad, encodeRequests, type PreEncodedLoadOptions } from './pre-encoded-load';

const SECRET = 'pre-encoded-secret';
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
const CODES = makeVoucherCodes(10);

interface FakeAccountingServer {
  readonly port: number;
  readonly socket: Socket;
  /** Requests whose authenticator did not verify (none may). */
  badlySigned: number;
  /** Datagrams seen per Acct-Session-Id. */
  readonly seen: Map<string, number>;
}

let server: FakeAccountingServer | undefined;

afterEach(() => {
  server?.socket.close();
  server = undefined;
});

/** Answers every well-signed Accounting-Request unless `shouldDrop` says so for its session and try. */
async function startFakeServer(
  shouldDrop: (sessionId: string, seen: number) => boolean,
): Promise<FakeAccountingServer> {
  const socket = createSocket({ type: 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES });
  const fake: FakeAccountingServer = { port: 0, socket, badlySigned: 0, seen: new Map() };
  socket.on('message', (message, remote) => {
    const request = decodePacket(message);
    if (!verifyRequestAuthenticator(request, SECRET)) {
      fake.badlySigned += 1;
      return;
    }
    const sessionId = getString(request, Attribute.AcctSessionId) ?? '';
    const seen = (fake.seen.get(sessionId) ?? 0) + 1;
    fake.seen.set(sessionId, seen);
    if (shouldDrop(sessionId, seen)) return;
    const response = encodeResponse({
      code: PacketCode.AccountingResponse,
      identifier: request.identifier,
      requestAuthenticator: request.authenticator,
      attributes: [],
      secret: SECRET,
    });
    socket.send(response, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, resolve));
  return Object.assign(fake, { port: socket.address().port });
}

/** Interim i is of its own session (so a drop rule can name one request). */
function optionsFor(port: number, count: number, overrides: Partial<PreEncodedLoadOptions> = {}) {
  return {
    host: '127.0.0.1',
    port,
    secret: SECRET,
    attributesOf: (index: number) => buildInterimRequest(CODES, index, 1).attributes,
    count,
    ratePerSecond: 20_000,
    inFlight: 300,
    timeoutMs: 5_000,
    retries: 3,
    ...overrides,
  } satisfies PreEncodedLoadOptions;
}

/** The Acct-Session-Id request-stream.ts gives session `index`. */
function sessionIdOf(index: number): string {
  return `b${index.toString(16).padStart(8, '0')}`;
}

describe('drivePreEncodedLoad', () => {
  it('sends every interim once, signed as RFC 2866 §3 asks, and counts the answers', async () => {
    server = await startFakeServer(() => false);
    const options = optionsFor(server.port, 3_000);
    const stats = await drivePreEncodedLoad(options, encodeRequests(options));
    expect(server.badlySigned).toBe(0);
    expect(stats.sent).toBe(3_000);
    expect(stats.answered).toBe(3_000);
    expect(stats.accountingResponses).toBe(3_000);
    expect(stats.lost).toBe(0);
    expect(server.seen.size).toBe(3_000);
  });

  it('retransmits the same bytes after a timeout and counts as lost what is never answered', async () => {
    // Session 1: first try dropped, the retry answered. Session 2: never answered.
    server = await startFakeServer(
      (sessionId, seen) => (sessionId === sessionIdOf(1) && seen === 1) || sessionId === sessionIdOf(2),
    );
    const options = optionsFor(server.port, 4, { timeoutMs: 150, retries: 1 });
    const stats = await drivePreEncodedLoad(options, encodeRequests(options));
    expect(stats.answered).toBe(3);
    expect(stats.lost).toBe(1);
    expect(stats.retransmits).toBe(2);
    expect(server.badlySigned).toBe(0);
  });

  it('signs a request anew when its planned identifier is still outstanding', async () => {
    // Request 0 is never answered; request 16,384 was planned on its socket and identifier.
    server = await startFakeServer((sessionId) => sessionId === sessionIdOf(0));
    const options = optionsFor(server.port, 16_385, {
      timeoutMs: 2_000,
      retries: 0,
      ratePerSecond: 50_000,
      inFlight: 1_000,
    });
    const stats = await drivePreEncodedLoad(options, encodeRequests(options));
    expect(stats.resigned).toBe(1);
    expect(stats.answered).toBe(16_384);
    expect(stats.lost).toBe(1);
    expect(server.badlySigned).toBe(0);
  });
});
