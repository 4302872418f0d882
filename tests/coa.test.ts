// The CoA/Disconnect client against the NAS simulator, and the AAA server's control interface
// (disconnect, rate change, stale-session reaping) in-process with a clock the test moves.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AaaServer, CoaClient, codec, startAaaServer } from '@kiunga/aaa-server';
import { Attribute, MikrotikAttribute, PacketCode, VendorId } from '@kiunga/dictionaries';
import { startNasSimulator } from '@kiunga/ops/sim/nas';
import { createSecretBox, type Databases, ManualClock } from '@kiunga/schemas';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataDirDatabases, queryTenant } from './support/data-access';
import { type DemoJson, makeDataDir, removeDataDir, seedDemo } from './support/kiunga-process';
import { radclient } from './support/radclient';

const nasSecret = 'coa-test-secret';

describe('CoaClient against the NAS simulator', () => {
  it('gets ACK for a Disconnect-Request and NAK with Error-Cause for a CoA', async () => {
    const nas = await startNasSimulator({
      host: '127.0.0.1',
      coaPort: 0,
      secret: nasSecret,
      behaviour: 'ack',
    });
    const client = new CoaClient({ timeoutMs: 200, attemptsMax: 3 });
    try {
      const target = { address: '127.0.0.1', port: nas.port, secret: Buffer.from(nasSecret) };
      const identity = { username: 'wanjiku', acctSessionId: '81f00009', framedIp: '10.0.0.9' };
      expect(await client.disconnect(target, identity)).toEqual({ outcome: 'ack' });
      const received = nas.received[0]!;
      expect(received.code).toBe(PacketCode.DisconnectRequest);
      expect(codec.getString(received.packet, Attribute.UserName)).toBe('wanjiku');
      expect(codec.getString(received.packet, Attribute.AcctSessionId)).toBe('81f00009');
      nas.setBehaviour('nak');
      expect(await client.changeRate(target, identity, '1M/2M')).toEqual({ outcome: 'nak', errorCause: 503 });
      expect(
        codec.getVendorString(nas.received[1]!.packet, VendorId.Mikrotik, MikrotikAttribute.RateLimit),
      ).toBe('1M/2M');
    } finally {
      client.close();
      await nas.close();
    }
  });

  it('retries a silent NAS and gives up after the last attempt; a NAS that drops twice is reached on the third', async () => {
    const nas = await startNasSimulator({
      host: '127.0.0.1',
      coaPort: 0,
      secret: nasSecret,
      behaviour: 'silent',
    });
    const client = new CoaClient({ timeoutMs: 100, attemptsMax: 3 });
    try {
      const target = { address: '127.0.0.1', port: nas.port, secret: Buffer.from(nasSecret) };
      const identity = { username: 'otieno', acctSessionId: 'b1', framedIp: null };
      expect(await client.disconnect(target, identity)).toEqual({ outcome: 'timeout' });
      expect(nas.received).toHaveLength(3);
      nas.setBehaviour('ack-after-drops:2');
      expect(await client.disconnect(target, identity)).toEqual({ outcome: 'ack' });
    } finally {
      client.close();
      await nas.close();
    }
  });

  it('ignores an answer signed with another secret', async () => {
    const nas = await startNasSimulator({
      host: '127.0.0.1',
      coaPort: 0,
      secret: 'other-secret',
      behaviour: 'ack',
    });
    const client = new CoaClient({ timeoutMs: 100, attemptsMax: 2 });
    try {
      const target = { address: '127.0.0.1', port: nas.port, secret: Buffer.from(nasSecret) };
      expect(await client.disconnect(target, { username: 'x', acctSessionId: 'y', framedIp: null })).toEqual({
        outcome: 'timeout',
      });
    } finally {
      client.close();
      await nas.close();
    }
  });
});

describe('AAA control interface in-process', () => {
  let dataDir: string;
  let demo: DemoJson;
  let databases: Databases;
  let server: AaaServer;
  let nas: Awaited<ReturnType<typeof startNasSimulator>>;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    dataDir = makeDataDir();
    demo = await seedDemo(dataDir);
    const secret = demo.tenants[0]!.nas[0]!.secret;
    nas = await startNasSimulator({ host: '127.0.0.1', coaPort: 0, secret, behaviour: 'ack' });
    databases = await openDataDirDatabases(dataDir);
    await databases.platform.run('UPDATE nas_devices SET coa_port = ? WHERE ip_address = ?', [
      nas.port,
      '127.0.0.1',
    ]);
    server = await startAaaServer({
      host: '127.0.0.1',
      authPort: 0,
      acctPort: 0,
      databases,
      secretBox: createSecretBox(readFileSync(join(dataDir, 'master.key'), 'utf8').trim()),
      clock,
      logger: pino({ level: 'silent' }),
    });
  });

  afterAll(async () => {
    await server?.stop();
    await databases?.close();
    await nas?.close();
    removeDataDir(dataDir);
  });

  async function openSession(acctSessionId: string): Promise<string> {
    const tenant = demo.tenants[0]!;
    const subscriber = tenant.subscribers.find((s) => s.status === 'active')!;
    const reply = await radclient({
      server: `127.0.0.1:${server.acctPort}`,
      command: 'acct',
      secret: tenant.nas[0]!.secret,
      attributes: {
        'User-Name': subscriber.username,
        'Acct-Status-Type': 'Start',
        'Acct-Session-Id': acctSessionId,
        'Framed-IP-Address': '10.9.0.2',
        'Calling-Station-Id': '02:00:00:00:55:01',
      },
    });
    expect(reply.code).toBe('Accounting-Response');
    const session = (await server.control.listSessions(tenant.id, { limit: 100 })).find(
      (s) => s.acctSessionId === acctSessionId,
    );
    expect(session?.username).toBe(subscriber.username);
    return session!.sessionId;
  }

  it('disconnects a live session through the NAS and changes its rate with CoA', async () => {
    const tenantId = demo.tenants[0]!.id;
    const sessionId = await openSession('c0000001');
    expect(await server.control.disconnectSession(tenantId, sessionId)).toEqual({ outcome: 'ack' });
    const request = nas.received.at(-1)!;
    expect(request.code).toBe(PacketCode.DisconnectRequest);
    expect(codec.getString(request.packet, Attribute.AcctSessionId)).toBe('c0000001');
    expect(codec.getIpAddress(request.packet, Attribute.FramedIpAddress)).toBe('10.9.0.2');
    expect(await server.control.changeSessionRate(tenantId, sessionId, '4M/8M')).toEqual({ outcome: 'ack' });
    expect(nas.received.at(-1)!.code).toBe(PacketCode.CoaRequest);
  });

  it("answers another tenant's session id as not found and sends nothing", async () => {
    const sessionId = await openSession('c0000002');
    const sent = nas.received.length;
    expect(await server.control.disconnectSession(demo.tenants[1]!.id, sessionId)).toEqual({
      outcome: 'not_found',
    });
    expect(await server.control.findSession(demo.tenants[1]!.id, sessionId)).toBeUndefined();
    expect(nas.received.length).toBe(sent);
  });

  it('closes sessions whose interim updates stopped, freeing their device slots', async () => {
    const tenantId = demo.tenants[0]!.id;
    const sessionId = await openSession('c0000003');
    const openBefore = (await server.sessions.counts()).openSessions;
    clock.advance(5 * 60_000); // one interim interval: still alive
    expect((await server.reapNow()).sessionsClosed).toBe(0);
    clock.advance(2 * 5 * 60_000 + 61_000); // past 2 × interval + grace
    expect((await server.reapNow()).sessionsClosed).toBeGreaterThanOrEqual(1);
    expect((await server.sessions.counts()).openSessions).toBeLessThan(openBefore);
    expect(await server.control.findSession(tenantId, sessionId)).toBeUndefined();
    const row = await queryTenant(
      dataDir,
      tenantId,
      'SELECT status, terminate_cause AS cause FROM sessions WHERE id = ?',
      sessionId,
    );
    expect(row).toEqual({ status: 'closed', cause: 'Lost-Service' });
  });
});
