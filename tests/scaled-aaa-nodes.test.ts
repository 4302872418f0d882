// Two AAA servers in this process on one PostgreSQL database and one Redis, as two AAA nodes are:
// device limits hold when logins race through both, a lost Redis keeps them answering, an API-only node
// reads the shared table, and a change committed through another connection is seen on the next request.
import { readFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import {
  type AaaServer,
  codec,
  type OutageFallbackStore,
  startAaaServer,
  startApiNodeControl,
} from '@kiunga/aaa-server';
import { type RedisServer, startRedisServer } from '@kiunga/aaa-server/testing';
import { createApp, deriveTokenKey } from '@kiunga/control-api';
import { Attribute, PacketCode } from '@kiunga/dictionaries';
import { createSecretBox, type Databases, ManualClock, openDatabases } from '@kiunga/schemas';
import { createTestDatabaseUrl, stopTestDatabaseServer } from '@kiunga/schemas/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoJson, makeDataDir, removeDataDir, runKiunga } from './support/kiunga-process';
import { exchange } from './support/udp-client';

/** How long a test waits for the answers of one burst of datagrams. */
const ANSWER_WAIT_MS = 1_500;
const LOGINS_RACED = 50;

let dataDir: string;
let databaseUrl: string;
let demo: DemoJson;
let redis: RedisServer;
const nodes: { databases: Databases; server: AaaServer }[] = [];
const clock = new ManualClock(Date.now());
let masterKey: string;

async function startNode(): Promise<{ databases: Databases; server: AaaServer }> {
  const databases = await openDatabases({ dataDir, databaseUrl });
  const server = await startAaaServer({
    host: '127.0.0.1',
    authPort: 0,
    acctPort: 0,
    databases,
    secretBox: createSecretBox(masterKey),
    clock,
    logger: pino({ level: process.env['KIUNGA_TEST_DEBUG'] ? 'debug' : 'silent' }),
    redisUrl: redis.url,
  });
  const node = { databases, server };
  nodes.push(node);
  return node;
}

beforeAll(async () => {
  dataDir = makeDataDir();
  databaseUrl = await createTestDatabaseUrl();
  const seeded = await runKiunga(
    ['demo', '--seed-only', '--json', '--data-dir', dataDir, '--vouchers', '8'],
    { KIUNGA_DATABASE_URL: databaseUrl },
  );
  demo = JSON.parse(seeded.stdout) as DemoJson;
  masterKey = readFileSync(join(dataDir, 'master.key'), 'utf8').trim();
  redis = await startRedisServer();
  const first = await startNode();
  await startNode();
  // Every voucher of the first ISP allows one device, so each test can take a fresh one.
  await first.databases.forTenant(tenant().id).run('UPDATE vouchers SET device_limit = 1');
  for (const voucher of tenant().vouchers) voucher.deviceLimit = 1;
});

afterAll(async () => {
  for (const node of nodes) {
    await node.server.stop();
    await node.databases.close();
  }
  await redis?.dispose();
  await stopTestDatabaseServer();
  removeDataDir(dataDir);
});

function tenant() {
  return demo.tenants[0]!;
}

let identifier = 0;

/** A PAP Access-Request for a voucher code from one device. */
function accessRequest(code: string, device: string): Buffer {
  const secret = tenant().nas[0]!.secret;
  const authenticator = Buffer.alloc(16, identifier + 1);
  return codec.encodeRequest({
    code: PacketCode.AccessRequest,
    identifier: identifier++ % 256,
    authenticator,
    secret,
    attributes: [
      codec.stringAttribute(Attribute.UserName, code),
      { type: Attribute.UserPassword, value: codec.encryptUserPassword(code, secret, authenticator) },
      codec.stringAttribute(Attribute.CallingStationId, device),
      codec.ipAddressAttribute(Attribute.NasIpAddress, '127.0.0.1'),
    ],
  });
}

/** The answer codes of one request sent to each port at once (each from its own socket). */
async function raceLogins(code: string, ports: number[]): Promise<number[]> {
  const answers = await Promise.all(
    ports.map((port, index) =>
      exchange(accessRequest(code, `02:00:00:00:${String(index % 100).padStart(2, '0')}:01`), port, {
        timeoutMs: ANSWER_WAIT_MS,
      }),
    ),
  );
  return answers.map((received) => received[0]?.[0] ?? 0);
}

/** A voucher of the first ISP with device limit 1 that no test used yet. */
const usedVouchers = new Set<string>();
function freshVoucher(): string {
  const voucher = tenant().vouchers.find((item) => item.deviceLimit === 1 && !usedVouchers.has(item.code));
  if (!voucher) throw new Error('the demo has no unused voucher with device limit 1 left');
  usedVouchers.add(voucher.code);
  return voucher.code;
}

describe('two AAA nodes sharing the session table in Redis', () => {
  it(`admits exactly one device of a limit-1 voucher when ${LOGINS_RACED} logins race through both nodes`, async () => {
    const [first, second] = nodes;
    const ports = Array.from({ length: LOGINS_RACED }, (_, index) =>
      index % 2 === 0 ? first!.server.authPort : second!.server.authPort,
    );
    const codes = await raceLogins(freshVoucher(), ports);
    expect(codes.filter((answer) => answer === PacketCode.AccessAccept)).toHaveLength(1);
    expect(codes.filter((answer) => answer === PacketCode.AccessReject)).toHaveLength(LOGINS_RACED - 1);
  });

  it('lets an API-only node list the sessions the AAA nodes hold', async () => {
    const [first] = nodes;
    const code = freshVoucher();
    expect(await raceLogins(code, [first!.server.authPort])).toEqual([PacketCode.AccessAccept]);
    const voucher = tenant().vouchers.find((item) => item.code === code)!;
    const api = await startApiNodeControl({
      redisUrl: redis.url,
      databases: first!.databases,
      secretBox: createSecretBox(masterKey),
      logger: pino({ level: 'silent' }),
    });
    try {
      expect(await api.control.devicesOfSubject(tenant().id, 'voucher', voucher.id)).toEqual([
        '02:00:00:00:00:01',
      ]);
      expect(await api.control.disconnectSession(tenant().id, 'ses_unknown')).toEqual({
        outcome: 'not_found',
      });
    } finally {
      await api.close();
    }
  });

  it('keeps answering while Redis is down, and holds device limits again after Redis comes back empty', async () => {
    const [first, second] = nodes;
    const code = freshVoucher();
    await redis.stop();
    try {
      // Redis gone: the node decides alone (documented: limits counted per node meanwhile).
      expect(await raceLogins(code, [first!.server.authPort])).toEqual([PacketCode.AccessAccept]);
    } finally {
      await redis.start();
    }
    // Back, and empty: rebuilt from the database, and the login admitted meanwhile replayed into it.
    const store = first!.server.sessions as OutageFallbackStore;
    await expect.poll(() => store.isInOutage, { timeout: 10_000 }).toBe(false);
    const otherDevice = await exchange(accessRequest(code, '02:00:00:00:99:01'), second!.server.authPort, {
      timeoutMs: ANSWER_WAIT_MS,
    });
    expect(otherDevice[0]?.[0]).toBe(PacketCode.AccessReject);
    const sameDevice = await exchange(accessRequest(code, '02:00:00:00:00:01'), second!.server.authPort, {
      timeoutMs: ANSWER_WAIT_MS,
    });
    expect(sameDevice[0]?.[0]).toBe(PacketCode.AccessAccept);
  });
});

/** A TCP relay to PostgreSQL that the test can cut: the node behind it finds its database unreachable. */
async function startCuttableRelay(targetPort: number): Promise<{ url: string; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const relay = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((done) => relay.listen(0, '127.0.0.1', done));
  const port = (relay.address() as AddressInfo).port;
  const url = new URL(databaseUrl);
  url.port = String(port);
  return {
    url: url.toString(),
    async cut() {
      await new Promise<void>((done) => {
        relay.close(() => done());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

/** An Accounting-Request (Start) for a session of a voucher. */
function accountingStart(code: string, acctSessionId: string): Buffer {
  return codec.encodeRequest({
    code: PacketCode.AccountingRequest,
    identifier: identifier++ % 256,
    secret: tenant().nas[0]!.secret,
    attributes: [
      codec.integerAttribute(Attribute.AcctStatusType, 1),
      codec.stringAttribute(Attribute.AcctSessionId, acctSessionId),
      codec.stringAttribute(Attribute.UserName, code),
      codec.stringAttribute(Attribute.CallingStationId, '02:00:00:00:00:01'),
      codec.ipAddressAttribute(Attribute.NasIpAddress, '127.0.0.1'),
    ],
  });
}

describe('an AAA node whose PostgreSQL is unreachable', () => {
  it('answers a cached subject from memory, refuses accounting, and /healthz says the database is down', async () => {
    const relay = await startCuttableRelay(Number(new URL(databaseUrl).port));
    const databases = await openDatabases({ dataDir, databaseUrl: relay.url });
    const logger = pino({ level: 'silent' });
    const server = await startAaaServer({
      host: '127.0.0.1',
      authPort: 0,
      acctPort: 0,
      databases,
      secretBox: createSecretBox(masterKey),
      clock,
      logger,
      redisUrl: redis.url,
    });
    nodes.push({ databases, server });
    const app = createApp({
      databases,
      secretBox: createSecretBox(masterKey),
      clock,
      aaa: server.control,
      logger,
      tokenKey: deriveTokenKey(masterKey),
      publicUrl: 'http://127.0.0.1:9',
      mpesaBaseUrl: null,
    });
    const code = freshVoucher();
    const login = () =>
      exchange(accessRequest(code, '02:00:00:00:00:01'), server.authPort, { timeoutMs: ANSWER_WAIT_MS });
    // The first login reads the voucher (and stores its first use); then it is cached.
    expect((await login())[0]?.[0]).toBe(PacketCode.AccessAccept);
    expect((await exchange(accountingStart(code, 'pg-up-1'), server.acctPort))[0]?.[0]).toBe(
      PacketCode.AccountingResponse,
    );
    await relay.cut();
    expect((await login())[0]?.[0]).toBe(PacketCode.AccessAccept);
    // Not written, so not acknowledged: the NAS keeps the record and retransmits it (or fails over).
    expect(await exchange(accountingStart(code, 'pg-down-1'), server.acctPort, { timeoutMs: 3_000 })).toEqual(
      [],
    );
    const health = await app.request('/healthz');
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'down', database: 'down', aaa: 'up' });
  });
});
