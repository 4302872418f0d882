// The shared SessionStore behaviour held by Redis, plus what only Redis has: key layout, lifetimes, scripts.
import Redis from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionStore } from '../session-store';
import { type RedisServer, startRedisServer } from '../testing/redis-server';
import { admitRequest, sessionInput } from '../testing/session-fixtures';
import { describeSessionStoreContract } from '../testing/session-store-cases';
import { RedisSessionTable, type RedisSessionTableOptions } from './redis-session-table';

let server: RedisServer;
let admin: Redis;
const openTables: SessionStore[] = [];

beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});

afterAll(async () => {
  await admin.quit();
  await server.dispose();
});

beforeEach(async () => {
  await admin.flushall();
});

afterEach(async () => {
  await Promise.all(openTables.splice(0).map((table) => table.close()));
});

async function connectTable(options: Partial<RedisSessionTableOptions> = {}): Promise<RedisSessionTable> {
  const table = await RedisSessionTable.connect({ url: server.url, openSessions: () => [], ...options });
  openTables.push(table);
  await table.ensureRebuilt();
  return table;
}

describeSessionStoreContract('RedisSessionTable', (options = {}) =>
  connectTable({
    openSessionsMax: options.openSessionsMax,
    pendingSlotsMax: options.pendingSlotsMax,
    ...(options.openSessions ? { openSessions: options.openSessions } : {}),
  }),
);

describe('RedisSessionTable counts', () => {
  it("says its counts are the whole cluster's: every AAA node sees the same shared table", async () => {
    const table = await connectTable();
    await table.admitDevice(admitRequest('aa:bb:cc:00:00:02', 2));
    await table.startSession(sessionInput());
    expect(table.countsScope()).toBe('cluster');
    expect(await table.countsByTenant()).toEqual(new Map([['ten_a', 1]]));
  });
});

/** How many session-change scripts Redis has run (INFO commandstats counts EVALSHA calls). */
async function scriptRuns(): Promise<number> {
  const stats = await admin.info('commandstats');
  return Number(/^cmdstat_evalsha:calls=(\d+)/m.exec(stats)?.[1] ?? 0);
}

describe('RedisSessionTable batching', () => {
  it('applies the Starts, interims and Stops made in one turn as one script run, each answered as on its own', async () => {
    const table = await connectTable();
    const key = (acctSessionId: string) => ({ tenantId: 'ten_a', nasId: 'nas_1', acctSessionId });
    // The tenant's first Start makes its part of the table ready (scripts of their own); then it is.
    await table.startSession(sessionInput({ sessionId: 'ses_b0', acctSessionId: 'b0' }));
    await table.stopSession(key('b0'));
    const before = await scriptRuns();
    // As the accounting writer tells a commit group: all in one turn, in order.
    const [first, second, updated, unknown, stopped, again] = await Promise.all([
      table.startSession(sessionInput({ sessionId: 'ses_b1', acctSessionId: 'b1' })),
      table.startSession(
        sessionInput({ sessionId: 'ses_b2', acctSessionId: 'b2', callingStationId: 'aa:bb:cc:00:00:09' }),
      ),
      table.updateSession(key('b1'), {
        lastUpdateMs: 1_000_000,
        inputOctets: 700,
        outputOctets: 80,
        framedIp: '10.0.0.9',
      }),
      table.updateSession(key('never-started'), { lastUpdateMs: 1_000_000, inputOctets: 1, outputOctets: 1 }),
      table.stopSession(key('b2')),
      // The same Start again after its interim: a retransmission that moves nothing back.
      table.startSession(sessionInput({ sessionId: 'ses_b1', acctSessionId: 'b1' })),
    ]);
    expect(await scriptRuns()).toBe(before + 1);
    expect(first).toMatchObject({ recorded: true, isRetransmit: false });
    expect(second).toMatchObject({ recorded: true, isRetransmit: false });
    expect(updated).toMatchObject({ sessionId: 'ses_b1', inputOctets: 700, framedIp: '10.0.0.9' });
    expect(unknown).toBeUndefined();
    expect(stopped).toMatchObject({ sessionId: 'ses_b2' });
    expect(again).toMatchObject({ recorded: true, isRetransmit: true, session: { inputOctets: 700 } });
    expect(
      (await table.sessionsOfTenant('ten_a', { limit: 10 })).sessions.map((item) => item.sessionId),
    ).toEqual(['ses_b1']);
    // The last session renewed, stopped (its indexes emptied, so gone) and a new one started in one
    // run: the indexes made again are given their lifetimes again.
    const beforeSecond = await scriptRuns();
    await Promise.all([
      table.updateSession(key('b1'), { lastUpdateMs: 1_100_000, inputOctets: 800, outputOctets: 90 }),
      table.stopSession(key('b1')),
      table.startSession(sessionInput({ sessionId: 'ses_b3', acctSessionId: 'b3' })),
    ]);
    expect(await scriptRuns()).toBe(beforeSecond + 1);
    const keys = await admin.keys('kiunga:{ten_a}:*');
    expect(keys).toContain('kiunga:{ten_a}:listing');
    for (const name of keys) expect(await admin.pttl(name), name).toBeGreaterThan(0);
  });
});

describe('RedisSessionTable keys', () => {
  it('keeps every key of a tenant under its hash tag, and every key alive only for a bounded time', async () => {
    const table = await connectTable();
    await table.admitDevice(admitRequest('aa:bb:cc:00:00:02', 2));
    await table.startSession(sessionInput());
    await table.admitDevice({
      ...admitRequest('aa:bb:cc:00:00:03', 1),
      tenantId: 'ten_b',
      subjectId: 'vch_9',
    });
    const keys = (await admin.keys('*')).sort();
    const tenantKeys = keys.filter((key) => key.startsWith('kiunga:{ten_'));
    expect(tenantKeys.every((key) => /^kiunga:\{ten_[ab]\}:/.test(key))).toBe(true);
    expect(tenantKeys).toContain('kiunga:{ten_a}:session:nas_1:81f0002a');
    expect(tenantKeys).toContain('kiunga:{ten_a}:subject:voucher:vch_1:pending');
    expect(keys.filter((key) => !key.startsWith('kiunga:{ten_')).sort()).toEqual([
      'kiunga:{session-table}:ready',
      'kiunga:{session-table}:tenants',
    ]);
    for (const key of keys) expect(await admin.pttl(key), key).toBeGreaterThan(0);
  });

  it('forgets a session whose key expired on its own (no node reaped for a day): it frees its device and leaves every index', async () => {
    const table = await connectTable();
    await table.startSession(sessionInput());
    await table.startSession(
      sessionInput({ sessionId: 'ses_2', acctSessionId: '81f0002b', callingStationId: 'aa:bb:cc:00:00:02' }),
    );
    await admin.del('kiunga:{ten_a}:session:nas_1:81f0002a');
    expect(await table.findSession('ten_a', 'ses_1')).toBeUndefined();
    const page = await table.sessionsOfTenant('ten_a', { limit: 10 });
    expect(page.sessions.map((session) => session.sessionId)).toEqual(['ses_2']);
    expect(await table.admitDevice(admitRequest('aa:bb:cc:00:00:03', 2))).toEqual({
      admitted: true,
      isKnownDevice: false,
    });
    expect(await table.claimStaleSessions(Date.UTC(2026, 0, 2), 0)).toEqual([
      expect.objectContaining({ sessionId: 'ses_2' }),
    ]);
    expect(await admin.zcard('kiunga:{ten_a}:stale')).toBe(0);
    expect(await admin.exists('kiunga:{ten_a}:listing', 'kiunga:{ten_a}:nas:nas_1')).toBe(0);
  });

  it('runs its scripts again after Redis forgot them (NOSCRIPT)', async () => {
    const table = await connectTable();
    await admin.script('FLUSH');
    expect((await table.admitDevice(admitRequest('aa:bb:cc:00:00:01', 1))).admitted).toBe(true);
    expect((await table.admitDevice(admitRequest('aa:bb:cc:00:00:02', 1))).admitted).toBe(false);
  });
});
