// Limits counted in Redis (a throwaway redis-server): the same answers as in memory, counts shared by
// two nodes, and each node counting on its own while Redis is away.
import { type RedisServer, startRedisServer } from '@kiunga/aaa-server/testing';
import type Redis from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_SIGN_IN_LIMITS, SignInThrottle } from '../../identity/login-limits';
import { describeRateLimitBackend } from '../rate-limits.contract';
import { connectApiRedis } from './redis-connection';
import { createRedisRateLimits } from './redis-rate-limits';

const logger = pino({ level: 'silent' });
const limit = { name: 'shared_test', attemptsMax: 4, windowMs: 60_000 };
let server: RedisServer;
const clients: Redis[] = [];

/** Resolves once the client is connected (at once when it already is: the event may have passed). */
async function readyOf(client: Redis): Promise<void> {
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
}

async function connectedClient(): Promise<Redis> {
  const client = connectApiRedis(server.url, logger);
  clients.push(client);
  await readyOf(client);
  return client;
}

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.dispose();
});

describeRateLimitBackend('Redis', async () => {
  const client = await connectedClient();
  await client.flushdb();
  return createRedisRateLimits(client, logger);
});

describe('limits shared through Redis', () => {
  it('two nodes count into one window: what one recorded limits the other', async () => {
    const [nodeA, nodeB] = [await connectedClient(), await connectedClient()];
    await nodeA.flushdb();
    const onA = createRedisRateLimits(nodeA, logger).limiter(limit);
    const onB = createRedisRateLimits(nodeB, logger).limiter(limit);
    await onA.record('203.0.113.9', 1_000);
    await onB.record('203.0.113.9', 1_001);
    await onA.record('203.0.113.9', 1_002);
    expect((await onB.check('203.0.113.9', 1_003)).isLimited).toBe(false);
    await onB.record('203.0.113.9', 1_003);
    expect(await onA.check('203.0.113.9', 1_004)).toEqual({ isLimited: true, retryAfterMs: 59_996 });
    expect(await onB.check('203.0.113.9', 1_004)).toEqual({ isLimited: true, retryAfterMs: 59_996 });
  });

  it('attempts recorded at once on two nodes all count (no lost update, one window)', async () => {
    const [nodeA, nodeB] = [await connectedClient(), await connectedClient()];
    await nodeA.flushdb();
    const onA = createRedisRateLimits(nodeA, logger).limiter(limit);
    const onB = createRedisRateLimits(nodeB, logger).limiter(limit);
    await Promise.all([onA.record('k', 5_000), onB.record('k', 5_000), onA.record('k', 5_000)]);
    expect((await onB.check('k', 5_000)).isLimited).toBe(false);
    await onB.record('k', 5_000);
    expect(await onA.check('k', 5_000)).toEqual({ isLimited: true, retryAfterMs: 60_000 });
  });

  it('an address one node saw the owner sign in from is known to the other', async () => {
    const [nodeA, nodeB] = [await connectedClient(), await connectedClient()];
    await nodeA.flushdb();
    const throttleA = new SignInThrottle(CONSOLE_SIGN_IN_LIMITS, createRedisRateLimits(nodeA, logger));
    const throttleB = new SignInThrottle(CONSOLE_SIGN_IN_LIMITS, createRedisRateLimits(nodeB, logger));
    await throttleA.recordSuccess('owner@isp.example', '198.51.100.7', 0);
    for (let index = 0; index < 50; index += 1)
      await throttleB.recordFailure('owner@isp.example', `203.0.113.${index}`, 1);
    expect((await throttleA.check('owner@isp.example', '192.0.2.1', 2))?.limit.name).toBe(
      'login_failures_per_account',
    );
    expect(await throttleA.check('owner@isp.example', '198.51.100.7', 2)).toBeNull();
  });

  it('keeps no e-mail or IP address in Redis: keys are hashed', async () => {
    const client = await connectedClient();
    await client.flushdb();
    const throttle = new SignInThrottle(CONSOLE_SIGN_IN_LIMITS, createRedisRateLimits(client, logger));
    await throttle.recordFailure('owner@isp.example', '203.0.113.9', 0);
    const keys = await client.keys('*');
    expect(keys).toHaveLength(3);
    expect(keys.join(' ')).not.toMatch(/owner|203\.0\.113/);
  });

  it('while Redis is stopped each node counts on its own, and shares again once it is back', async () => {
    const client = await connectedClient();
    await client.flushdb();
    const limiter = createRedisRateLimits(client, logger).limiter(limit);
    await server.stop();
    for (let attempt = 0; attempt < limit.attemptsMax; attempt += 1) await limiter.record('k', 0);
    expect((await limiter.check('k', 1)).isLimited).toBe(true);
    await server.start();
    await readyOf(client);
    // The restarted Redis is empty: counting starts again there, shared by every node.
    expect((await limiter.check('k', 2)).isLimited).toBe(false);
    await limiter.record('k', 2);
    expect(await client.keys('kiunga:limit:*')).toHaveLength(1);
  });
});
