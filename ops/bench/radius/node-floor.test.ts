// The benchmark's node floor answers what the load generator sends as a RADIUS server must: signed replies.
import { PacketCode } from '@kiunga/dictionaries';
import { afterEach, describe, expect, it } from 'vitest';
import { freeUdpPorts } from './kiunga';
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

describe('node floor', () => {
  it('accepts every login and answers every accounting record with a valid Response Authenticator', async () => {
    const [authPort, acctPort] = await freeUdpPorts(HOST);
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
