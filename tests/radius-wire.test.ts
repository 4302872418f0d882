// End to end with crafted datagrams: MS-CHAPv2 (RFC 2759 test vector), malformed and truncated
// packets, retransmissions (RFC 5080), and the session table surviving a restart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codec } from '@kiunga/aaa-server';
import { Attribute, MicrosoftAttribute, PacketCode, VendorId } from '@kiunga/dictionaries';
import { createSecretBox, newId } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeTenant } from './support/data-access';
import {
  type DemoJson,
  makeDataDir,
  metricValue,
  type RunningKiunga,
  removeDataDir,
  seedDemo,
  startKiunga,
} from './support/kiunga-process';
import { radclient } from './support/radclient';
import { exchange } from './support/udp-client';

// RFC 2759 §9.2.
const rfcUser = 'User';
const rfcPassword = 'clientPass';
const authenticatorChallenge = Buffer.from('5B5D7C7D7B3F2F3E3C2C602132262628', 'hex');
const peerChallenge = Buffer.from('21402324255E262A28295F2B3A337C7E', 'hex');
const ntResponse = Buffer.from('82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF', 'hex');

let dataDir: string;
let demo: DemoJson;
let kiunga: RunningKiunga;

async function addRfcSubscriber(): Promise<void> {
  const masterKey = readFileSync(join(dataDir, 'master.key'), 'utf8').trim();
  const tenant = demo.tenants[0]!;
  const plan = tenant.plans.find((p) => p.kind === 'pppoe')!;
  const now = Date.now();
  await changeTenant(
    dataDir,
    tenant.id,
    `INSERT INTO subscribers (id, username, password_sealed, plan_id, account_number, kind, status, expires_at,
                              full_name, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'RFC2759', 'pppoe', 'active', ?, 'RFC test', ?, ?)`,
    newId('subscriber'),
    rfcUser,
    createSecretBox(masterKey).seal(rfcPassword),
    plan.id,
    now + 86_400_000,
    now,
    now,
  );
}

beforeAll(async () => {
  dataDir = makeDataDir();
  demo = await seedDemo(dataDir);
  await addRfcSubscriber();
  kiunga = await startKiunga(dataDir);
});

afterAll(async () => {
  const exitCode = await kiunga?.stop();
  removeDataDir(dataDir);
  expect(exitCode).toBe(0);
});

const secret = () => demo.tenants[0]!.nas[0]!.secret;

/** The server still answers a signed Status-Server (RFC 5997) after what a test threw at it. */
async function expectStillAnswering(): Promise<void> {
  const status = await radclient({
    server: `127.0.0.1:${kiunga.authPort}`,
    command: 'status',
    secret: secret(),
    attributes: { 'Message-Authenticator': '0x00' },
  });
  expect(status.code).toBe('Access-Accept');
}

function msChapRequest(identifier: number, response: Buffer, userName = rfcUser): Buffer {
  return codec.encodeRequest({
    code: PacketCode.AccessRequest,
    identifier,
    secret: secret(),
    attributes: [
      codec.stringAttribute(Attribute.UserName, userName),
      codec.integerAttribute(Attribute.ServiceType, 2),
      codec.integerAttribute(Attribute.FramedProtocol, 1),
      codec.vendorAttribute(VendorId.Microsoft, MicrosoftAttribute.ChapChallenge, authenticatorChallenge),
      codec.vendorAttribute(VendorId.Microsoft, MicrosoftAttribute.Chap2Response, response),
    ],
  });
}

function chap2Response(ident: number, nt: Buffer): Buffer {
  return Buffer.concat([Buffer.from([ident, 0]), peerChallenge, Buffer.alloc(8), nt]);
}

describe('MS-CHAPv2 (what MikroTik PPPoE uses)', () => {
  it('accepts the RFC 2759 test vector and answers with its authenticator response and MPPE keys', async () => {
    const request = msChapRequest(7, chap2Response(0x42, ntResponse));
    const [answer] = await exchange(request, kiunga.authPort);
    expect(answer).toBeDefined();
    const reply = codec.decodePacket(answer!);
    expect(reply.code).toBe(PacketCode.AccessAccept);
    const requestAuthenticator = request.subarray(4, 20);
    expect(codec.verifyResponseAuthenticator(reply, requestAuthenticator, secret())).toBe(true);
    const success = codec.getVendorAttribute(reply, VendorId.Microsoft, MicrosoftAttribute.Chap2Success)!;
    expect(success[0]).toBe(0x42);
    expect(success.subarray(1).toString('ascii')).toBe('S=407A5589115FD0D6209F510FE9C04566932CDA56');
    const sendKey = codec.getVendorAttribute(reply, VendorId.Microsoft, MicrosoftAttribute.MppeSendKey);
    const receiveKey = codec.getVendorAttribute(reply, VendorId.Microsoft, MicrosoftAttribute.MppeRecvKey);
    expect(sendKey?.length).toBe(34);
    expect(receiveKey?.length).toBe(34);
  });

  it('accepts DOMAIN\\User: the account and the challenge hash both use the name without the domain', async () => {
    // RFC 2759 §8.2 hashes "User"; the router passes on what the Windows peer typed.
    const request = msChapRequest(10, chap2Response(0x44, ntResponse), 'WORKGROUP\\User');
    const [answer] = await exchange(request, kiunga.authPort);
    const reply = codec.decodePacket(answer!);
    expect(reply.code).toBe(PacketCode.AccessAccept);
    const success = codec.getVendorAttribute(reply, VendorId.Microsoft, MicrosoftAttribute.Chap2Success)!;
    expect(success.subarray(1).toString('ascii')).toBe('S=407A5589115FD0D6209F510FE9C04566932CDA56');
  });

  it('rejects a wrong NT-Response with MS-CHAP-Error E=691 R=0 (RFC 2548 §2.1.5, RFC 2759 §6)', async () => {
    const wrong = Buffer.from(ntResponse);
    wrong[0] = wrong[0]! ^ 0xff;
    for (const userName of [rfcUser, 'WORKGROUP\\User']) {
      const request = msChapRequest(8, chap2Response(0x43, wrong), userName);
      const [answer] = await exchange(request, kiunga.authPort);
      const reply = codec.decodePacket(answer!);
      expect(reply.code).toBe(PacketCode.AccessReject);
      expect(codec.verifyResponseAuthenticator(reply, request.subarray(4, 20), secret())).toBe(true);
      const error = codec.getVendorAttribute(reply, VendorId.Microsoft, MicrosoftAttribute.ChapError)!;
      expect(error[0]).toBe(0x43);
      expect(error.subarray(1).toString('ascii')).toMatch(/^E=691 R=0 C=[0-9A-F]{32} V=3$/);
      expect(codec.getString(reply, Attribute.ReplyMessage)).toMatch(/Wrong username or password/);
    }
  });
});

describe('hostile and broken datagrams', () => {
  it('drops malformed and truncated datagrams, counts them, and keeps answering', async () => {
    const valid = msChapRequest(9, chap2Response(1, ntResponse));
    const broken = [
      Buffer.alloc(0),
      Buffer.from([1, 2, 3]),
      valid.subarray(0, 19),
      Buffer.concat([valid.subarray(0, 2), Buffer.from([0x10, 0x00]), valid.subarray(4)]), // length > datagram
      (() => {
        const bad = Buffer.from(valid);
        bad[21] = 1; // an attribute of length 1
        return bad;
      })(),
      (() => {
        const bad = Buffer.from(valid);
        bad[21] = 250; // an attribute running past the end
        return bad;
      })(),
      Buffer.alloc(4096, 0xff),
    ];
    for (const datagram of broken) {
      expect(await exchange(datagram, kiunga.authPort, { timeoutMs: 100 })).toEqual([]);
      expect(await exchange(datagram, kiunga.acctPort, { timeoutMs: 100 })).toEqual([]);
    }
    expect(await metricValue(kiunga.baseUrl, 'kiunga_radius_drops_total')).toBeGreaterThanOrEqual(
      broken.length * 2 - 2,
    );
    await expectStillAnswering();
  });
});

describe('a malformed User-Password from a known NAS (RFC 2865 §5.2: 16..128 octets, a multiple of 16)', () => {
  const sixOctetPassword = (identifier: number) =>
    codec.encodeRequest({
      code: PacketCode.AccessRequest,
      identifier,
      secret: secret(),
      attributes: [
        codec.stringAttribute(Attribute.UserName, demo.tenants[0]!.vouchers[0]!.code),
        codec.octetsAttribute(Attribute.UserPassword, Buffer.from('abcdef')),
      ],
    });
  const passwordLogLines = () =>
    kiunga
      .output()
      .split('\n')
      .filter(
        (line) => line.includes('malformed RADIUS datagram dropped') && line.includes('bad_password_length'),
      );
  const malformedPasswordDrops = () =>
    metricValue(kiunga.baseUrl, 'kiunga_radius_drops_total', {
      reason: 'malformed',
      problem: 'bad_password_length',
    });

  it('is dropped without a reply and counted as malformed, and the server answers the next request', async () => {
    const before = await malformedPasswordDrops();
    const internalBefore = await metricValue(kiunga.baseUrl, 'kiunga_radius_drops_total', {
      reason: 'internal_error',
    });
    expect(await exchange(sixOctetPassword(60), kiunga.authPort, { timeoutMs: 200 })).toEqual([]);
    expect(await malformedPasswordDrops()).toBe(before + 1);
    expect(await metricValue(kiunga.baseUrl, 'kiunga_radius_drops_total', { reason: 'internal_error' })).toBe(
      internalBefore,
    );
    await expectStillAnswering();
  });

  it('logs a burst of 100 in a bounded number of lines, at warning level and without a stack trace', async () => {
    const before = await malformedPasswordDrops();
    const linesBefore = passwordLogLines().length;
    await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        exchange(sixOctetPassword(index), kiunga.authPort, { timeoutMs: 300 }),
      ),
    );
    expect(await malformedPasswordDrops()).toBe(before + 100);
    // One line per NAS per minute: the first test's line may already cover this minute.
    expect(passwordLogLines().length - linesBefore).toBeLessThanOrEqual(1);
    expect(passwordLogLines().length).toBeGreaterThanOrEqual(1);
    expect(kiunga.output()).not.toMatch(/access request failed/);
    for (const line of passwordLogLines()) {
      expect(JSON.parse(line)).toMatchObject({ level: 40, nasId: demo.tenants[0]!.nas[0]!.id });
      expect(line).not.toMatch(/"stack"/);
    }
  });
});

describe('retransmissions (RFC 5080)', () => {
  it('answers a duplicate with the same bytes without processing it twice', async () => {
    const voucher = demo.tenants[0]!.vouchers.find((v) => v.deviceLimit === 1)!;
    // PAP password must be hidden with the authenticator the request carries.
    const withPassword = codec.encodeRequest({
      code: PacketCode.AccessRequest,
      identifier: 33,
      secret: secret(),
      authenticator: Buffer.alloc(16, 0x33),
      attributes: [
        codec.stringAttribute(Attribute.UserName, voucher.code),
        codec.stringAttribute(Attribute.CallingStationId, '02:00:00:00:33:01'),
        codec.octetsAttribute(
          Attribute.UserPassword,
          codec.encryptUserPassword(voucher.code, secret(), Buffer.alloc(16, 0x33)),
        ),
      ],
    });
    const before = await metricValue(kiunga.baseUrl, 'kiunga_radius_accepts_total');
    const answers = await exchange(withPassword, kiunga.authPort, { repeat: 3 });
    expect(answers).toHaveLength(3);
    expect(answers[1]!.equals(answers[0]!)).toBe(true);
    expect(answers[2]!.equals(answers[0]!)).toBe(true);
    expect(codec.decodePacket(answers[0]!).code).toBe(PacketCode.AccessAccept);
    expect(await metricValue(kiunga.baseUrl, 'kiunga_radius_accepts_total')).toBe(before + 1);
    expect(await metricValue(kiunga.baseUrl, 'kiunga_radius_duplicates_total')).toBeGreaterThanOrEqual(2);
  });
});

describe('restart', () => {
  it('rebuilds the session table from the shards, so device limits hold across a restart', async () => {
    const voucher = demo.tenants[0]!.vouchers.filter((v) => v.deviceLimit === 1)[1]!;
    const acct = await radclient({
      server: `127.0.0.1:${kiunga.acctPort}`,
      command: 'acct',
      secret: secret(),
      attributes: {
        'User-Name': voucher.code,
        'Acct-Status-Type': 'Start',
        'Acct-Session-Id': 'r0000001',
        'Calling-Station-Id': '02:00:00:00:44:01',
      },
    });
    expect(acct.code).toBe('Accounting-Response');
    expect(await kiunga.stop()).toBe(0);
    kiunga = await startKiunga(dataDir);
    expect(
      await metricValue(kiunga.baseUrl, 'kiunga_radius_open_sessions', { tenant: demo.tenants[0]!.id }),
    ).toBe(1);
    const other = await radclient({
      server: `127.0.0.1:${kiunga.authPort}`,
      command: 'auth',
      secret: secret(),
      attributes: {
        'User-Name': voucher.code,
        'User-Password': voucher.code,
        'Calling-Station-Id': '02:00:00:00:44:02',
      },
    });
    expect(other.code).toBe('Access-Reject');
    expect(other.attributes['Reply-Message']).toMatch(/maximum number of devices/);
  });
});
