// Several AAA nodes on one Redis: racing logins, a Redis that restarts empty, one that is gone, one that hangs.
import { setTimeout as delay } from 'node:timers/promises';
import Redis from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  isSessionStoreUnavailable,
  isSessionStoreUnreachable,
  type OpenSessionSource,
} from '../session-store';
import type { LiveSessionInput, SubjectReference } from '../session-table';
import { type RedisServer, startRedisServer } from '../testing/redis-server';
import { admitRequest, sessionInput } from '../testing/session-fixtures';
import { OutageFallbackStore } from './outage-fallback-store';
import { RedisSessionTable, type RedisSessionTableOptions } from './redis-session-table';

const VOUCHER: SubjectReference = { tenantId: 'ten_a', subjectKind: 'voucher', subjectId: 'vch_1' };
const PHONE = 'aa:bb:cc:00:00:01';
const RACING_LOGINS = 50;
/** Reconnecting takes at most about a second (REDIS_RECONNECT_DELAY_MAX_MS); poll for up to ten. */
const RECONNECT_POLLS_MAX = 100;
const RECONNECT_POLL_INTERVAL_MS = 100;

let server: RedisServer;
let admin: Redis;
const nodes: RedisSessionTable[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await server.dispose();
});

beforeEach(async () => {
  admin = new Redis(server.url);
  // Tests stop this Redis on purpose; the admin connection's reconnect errors are expected.
  admin.on('error', () => undefined);
  await admin.flushall();
});

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((node) => node.close()));
  admin.disconnect();
});

async function connectNode(options: Partial<RedisSessionTableOptions> = {}): Promise<RedisSessionTable> {
  const node = await RedisSessionTable.connect({ url: server.url, openSessions: () => [], ...options });
  nodes.push(node);
  return node;
}

function deviceNumber(index: number): string {
  return `aa:bb:cc:00:01:${index.toString(16).padStart(2, '0')}`;
}

/** Retries while the store answers unavailable (Redis still coming back), a bounded number of times. */
async function whenReachable<Result>(work: () => Promise<Result>): Promise<Result> {
  for (let poll = 1; ; poll++) {
    try {
      return await work();
    } catch (error) {
      if (!isSessionStoreUnavailable(error) || poll >= RECONNECT_POLLS_MAX) throw error;
      await delay(RECONNECT_POLL_INTERVAL_MS);
    }
  }
}

describe('logins racing through two AAA nodes', () => {
  it(`${RACING_LOGINS} concurrent reservations of a limit-1 voucher admit exactly one device`, async () => {
    const nodeA = await connectNode();
    const nodeB = await connectNode();
    await nodeA.ensureRebuilt();
    const results = await Promise.all(
      Array.from({ length: RACING_LOGINS }, (_, index) =>
        (index % 2 === 0 ? nodeA : nodeB).admitDevice(admitRequest(deviceNumber(index), 1)),
      ),
    );
    const admittedIndexes = results.flatMap((result, index) => (result.admitted ? [index] : []));
    expect(admittedIndexes).toHaveLength(1);
    expect(results.filter((result) => !result.admitted && result.reason === 'device_limit')).toHaveLength(
      RACING_LOGINS - 1,
    );
    const winner = deviceNumber(admittedIndexes[0]!);
    expect(await nodeA.devicesOfSubject(VOUCHER)).toEqual([winner]);
    expect(await nodeB.devicesOfSubject(VOUCHER)).toEqual([winner]);
  });

  it('a limit of three lets exactly three of the racing devices in, and each may log in again', async () => {
    const nodeA = await connectNode();
    const nodeB = await connectNode();
    await nodeB.ensureRebuilt();
    const results = await Promise.all(
      Array.from({ length: RACING_LOGINS }, (_, index) =>
        (index % 2 === 0 ? nodeA : nodeB).admitDevice(admitRequest(deviceNumber(index), 3)),
      ),
    );
    const admitted = results.flatMap((result, index) => (result.admitted ? [deviceNumber(index)] : []));
    expect(admitted).toHaveLength(3);
    for (const device of admitted) {
      expect(await nodeB.admitDevice(admitRequest(device, 3))).toEqual({
        admitted: true,
        isKnownDevice: true,
      });
    }
  });
});

describe('Redis restarted without its data', () => {
  it('the nodes rebuild it from the database once, and device limits hold again', async () => {
    const database: LiveSessionInput[] = [];
    let loads = 0;
    const openSessions: OpenSessionSource = () => {
      loads += 1;
      return [...database];
    };
    const nodeA = await connectNode({ openSessions });
    const nodeB = await connectNode({ openSessions });
    await Promise.all([nodeA.ensureRebuilt(), nodeB.ensureRebuilt()]);
    expect(loads).toBe(1);
    await nodeA.admitDevice(admitRequest(PHONE, 1));
    const started = await nodeA.startSession(sessionInput());
    expect(started.recorded).toBe(true);
    database.push(sessionInput());

    await server.restart();
    loads = 0;
    // Both nodes meet the empty Redis at once, with a login each for a new device.
    const [fromA, fromB] = await whenReachable(() =>
      Promise.all([
        nodeA.admitDevice(admitRequest('aa:bb:cc:00:00:02', 1)),
        nodeB.admitDevice(admitRequest('aa:bb:cc:00:00:03', 1)),
      ]),
    );
    expect(fromA).toEqual({ admitted: false, reason: 'device_limit', devicesInUse: 1 });
    expect(fromB).toEqual({ admitted: false, reason: 'device_limit', devicesInUse: 1 });
    expect(loads).toBe(1);
    expect(await nodeB.admitDevice(admitRequest(PHONE, 1))).toEqual({ admitted: true, isKnownDevice: true });
    expect(await nodeB.findSession('ten_a', 'ses_1')).toEqual(sessionInput());
  });

  it('two nodes asked to rebuild an empty table at the same moment load it once', async () => {
    let loads = 0;
    const openSessions: OpenSessionSource = async function* () {
      loads += 1;
      yield sessionInput();
    };
    const nodeA = await connectNode({ openSessions });
    const nodeB = await connectNode({ openSessions });
    const outcomes = await Promise.all([nodeA.ensureRebuilt(), nodeB.ensureRebuilt()]);
    expect(outcomes.filter((outcome) => outcome.rebuilt)).toEqual([{ rebuilt: true, sessionCount: 1 }]);
    expect(loads).toBe(1);
    expect(await nodeB.countsByTenant()).toEqual(new Map([['ten_a', 1]]));
  });
});

describe('Redis restarting during a rebuild', () => {
  it('fails that rebuild instead of declaring a half-loaded table ready; the next one loads it whole', async () => {
    const sessionsInDatabase = [
      sessionInput(),
      sessionInput({ sessionId: 'ses_2', acctSessionId: '81f0002b', subjectId: 'vch_2' }),
    ];
    let shouldRestartMidway = true;
    const openSessions: OpenSessionSource = async function* () {
      for (const [index, session] of sessionsInDatabase.entries()) {
        if (index === 1 && shouldRestartMidway) {
          shouldRestartMidway = false;
          await server.restart();
        }
        yield session;
      }
    };
    // Redis restarts while the rebuild is still reading the database.
    const node = await connectNode({ openSessions });
    const failed = await node.ensureRebuilt().catch((caught: unknown) => caught);
    expect(isSessionStoreUnavailable(failed)).toBe(true);
    const admission = await whenReachable(() => node.admitDevice(admitRequest('aa:bb:cc:00:00:02', 1)));
    expect(admission).toEqual({ admitted: false, reason: 'device_limit', devicesInUse: 1 });
    expect(await node.countsByTenant()).toEqual(new Map([['ten_a', 2]]));
  });
});

describe('Redis unreachable or stuck', () => {
  it('answers session_store_unavailable at once while Redis is down, and serves again once it is back', async () => {
    const node = await connectNode({ openSessions: () => [sessionInput()] });
    await node.ensureRebuilt();
    await server.stop();
    try {
      const error = await node
        .admitDevice(admitRequest('aa:bb:cc:00:00:02', 1))
        .catch((caught: unknown) => caught);
      expect(isSessionStoreUnavailable(error)).toBe(true);
      const stopError = await node
        .stopSession({ tenantId: 'ten_a', nasId: 'nas_1', acctSessionId: '81f0002a' })
        .catch((caught: unknown) => caught);
      expect(isSessionStoreUnavailable(stopError)).toBe(true);
    } finally {
      await server.start();
    }
    const afterwards = await whenReachable(() => node.admitDevice(admitRequest('aa:bb:cc:00:00:02', 1)));
    expect(afterwards).toMatchObject({ admitted: false, reason: 'device_limit' });
  });

  it('gives up on a Redis that accepts the connection but answers nothing', async () => {
    const node = await connectNode({ commandTimeoutMs: 200 });
    await node.ensureRebuilt();
    server.freeze();
    try {
      const error = await node.admitDevice(admitRequest(PHONE, 1)).catch((caught: unknown) => caught);
      expect(isSessionStoreUnavailable(error)).toBe(true);
      expect((error as Error).message).toMatch(/timed out/i);
    } finally {
      server.thaw();
    }
    expect((await whenReachable(() => node.admitDevice(admitRequest(PHONE, 1)))).admitted).toBe(true);
  });

  it('takes a late reply from a Redis that answers as slowness (that call fails, the node stays on Redis), and only silence as an outage', async () => {
    // Long beside the 200 ms command timeout, so a loaded machine does not turn the slow case into silence.
    const unresponsiveAfterMs = 3_000;
    const shared = await connectNode({ commandTimeoutMs: 200, unresponsiveAfterMs });
    const node = new OutageFallbackStore({ shared, openSessions: () => [] });
    await node.ensureRebuilt();
    expect((await node.admitDevice(admitRequest(PHONE, 2))).admitted).toBe(true);
    server.freeze();
    try {
      // Redis answered a moment ago: a reply past the command timeout is a slow Redis.
      const slow = await node.admitDevice(admitRequest(PHONE, 2)).catch((caught: unknown) => caught);
      expect(isSessionStoreUnavailable(slow)).toBe(true);
      expect(isSessionStoreUnreachable(slow)).toBe(false);
      expect(node.isInOutage).toBe(false);
    } finally {
      server.thaw();
    }
    expect((await node.admitDevice(admitRequest(PHONE, 2))).admitted).toBe(true);
    server.freeze();
    try {
      // Nothing answered for longer than the bound: Redis is lost, and the node decides on its own table.
      await delay(unresponsiveAfterMs + 100);
      const during = await node.admitDevice(admitRequest(PHONE, 2));
      expect(during.admitted).toBe(true);
      expect(node.isInOutage).toBe(true);
    } finally {
      server.thaw();
      await node.close();
    }
  });

  it('a Redis out of memory refuses the reservation as unavailable rather than as a device limit', async () => {
    const node = await connectNode();
    await node.ensureRebuilt();
    await admin.config('SET', 'maxmemory', '1');
    try {
      const error = await node.admitDevice(admitRequest(PHONE, 1)).catch((caught: unknown) => caught);
      expect(isSessionStoreUnavailable(error)).toBe(true);
      expect((error as Error).message).toMatch(/OOM/);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
  });

  it('refuses to start on nothing listening, or on a Redis that may evict keys', async () => {
    const gone = await startRedisServer();
    await gone.dispose();
    const refused = await RedisSessionTable.connect({ url: gone.url, openSessions: () => [] }).catch(
      (caught: unknown) => caught,
    );
    expect(isSessionStoreUnavailable(refused)).toBe(true);
    const evicting = await startRedisServer({ maxmemoryPolicy: 'allkeys-lru' });
    try {
      await expect(RedisSessionTable.connect({ url: evicting.url, openSessions: () => [] })).rejects.toThrow(
        /maxmemory-policy is allkeys-lru/,
      );
    } finally {
      await evicting.dispose();
    }
  });
});
