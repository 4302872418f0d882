// The benchmark's node floor answers what the load generator sends as a RADIUS server must: signed replies.
import { createSocket } from 'node:dgram';
import { PacketCode } from '@kiunga/dictionaries';
import { afterEach, describe, expect, it } from 'vitest';
import { driveLoad } from './load-generator';
import { type NodeFloorServer, startNodeFloor } from './node-floor';
import { buildAccessRequests, buildAccountingRequests, makeVoucherCodes } from './request-stream';

const SECRET = 'node-floor-secret';
const HOST = '127.0.0.1';
const REQUESTS = 50;
const TIMEOUT_MS = 2_000;

let floor: NodeFloorServer | undefined;

afterEach(async () => {
  await floor?.stop();
  floor = undefined;
});

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind({ address: HOST, port: 0 }, resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

describe('node floor', () => {
  it('accepts every login and answers every accounting record with a valid Response Authenticator', async () => {
    const authPort = await freeUdpPort();
    let acctPort = await freeUdpPort();
    while (acctPort === authPort) acctPort = await freeUdpPort();
    floor = await startNodeFloor({ authPort, acctPort, secret: SECRET });
    const codes = makeVoucherCodes(10);
    const load = { host: HOST, secret: SECRET, inFlight: 10, timeoutMs: TIMEOUT_MS, retries: 0 };
    const logins = await driveLoad({
      ...load,
      port: authPort,
      code: PacketCode.AccessRequest,
      requests: buildAccessRequests(codes, REQUESTS),
    });
    expect(logins).toMatchObject({ accepted: REQUESTS, timedOut: 0, staleOrInvalidResponses: 0 });
    const records = buildAccountingRequests(codes, 5);
    const accounting = await driveLoad({
      ...load,
      port: acctPort,
      code: PacketCode.AccountingRequest,
      requests: records,
    });
    expect(accounting).toMatchObject({
      accountingResponses: records.length,
      timedOut: 0,
      staleOrInvalidResponses: 0,
    });
  });
});
