// GET /healthz on a scaled node: which part is down when PostgreSQL or Redis stops, 200 only when
// every part the node needs is up; an embedded node answers as before.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '@kiunga/aaa-server/testing';
import { type AaaControl, PostgresDatabases, SqliteDatabases, systemClock } from '@kiunga/schemas';
import { createTestDatabaseUrl, stopTestDatabaseServer } from '@kiunga/schemas/testing';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app';
import type { ApiDependencies } from './dependencies';
import type { HealthProbes } from './health';
import { connectApiRedis, pingRedis } from './redis/redis-connection';

const logger = pino({ level: 'silent' });

function aaaThatIs(isUp: boolean): AaaControl {
  return { isUp: () => isUp } as unknown as AaaControl;
}

function appOn(databases: ApiDependencies['databases'], aaa: AaaControl, health?: HealthProbes) {
  return createApp({
    databases,
    aaa,
    health,
    logger,
    clock: systemClock,
    secretBox: {} as ApiDependencies['secretBox'],
    tokenKey: new Uint8Array(32),
    publicUrl: 'http://127.0.0.1:9',
    mpesaBaseUrl: null,
  } as ApiDependencies);
}

async function readyOf(client: ReturnType<typeof connectApiRedis>): Promise<void> {
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
}

async function healthOf(app: ReturnType<typeof createApp>) {
  const response = await app.request('/healthz');
  return { status: response.status, body: await response.json() };
}

describe('/healthz', () => {
  it('embedded: the same answer as before, plus the database and an absent Redis', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-health-'));
    const databases = new SqliteDatabases({ dataDir });
    try {
      expect(await healthOf(appOn(databases, aaaThatIs(true)))).toEqual({
        status: 200,
        body: { status: 'ok', api: 'up', aaa: 'up', database: 'ok', redis: 'absent' },
      });
      expect(await healthOf(appOn(databases, aaaThatIs(false)))).toEqual({
        status: 503,
        body: { status: 'degraded', api: 'up', aaa: 'down', database: 'ok', redis: 'absent' },
      });
    } finally {
      await databases.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('an API node on PostgreSQL and Redis says which of them is down, and 503 until both are up', async () => {
    const redisServer = await startRedisServer();
    const redis = connectApiRedis(redisServer.url, logger);
    const databases = await PostgresDatabases.open({ url: await createTestDatabaseUrl() });
    try {
      await readyOf(redis);
      // An API-only node: the AAA server runs elsewhere and is not asked.
      const app = appOn(databases, aaaThatIs(false), {
        isAaaInProcess: false,
        redis: () => pingRedis(redis),
      });
      expect(await healthOf(app)).toEqual({
        status: 200,
        body: { status: 'ok', api: 'up', aaa: 'absent', database: 'ok', redis: 'ok' },
      });

      await redisServer.stop();
      expect(await healthOf(app)).toEqual({
        status: 503,
        body: { status: 'degraded', api: 'up', aaa: 'absent', database: 'ok', redis: 'down' },
      });

      await redisServer.start();
      await readyOf(redis);
      expect((await healthOf(app)).status).toBe(200);

      await stopTestDatabaseServer();
      expect(await healthOf(app)).toEqual({
        status: 503,
        body: { status: 'down', api: 'up', aaa: 'absent', database: 'down', redis: 'ok' },
      });
    } finally {
      redis.disconnect();
      await redisServer.dispose();
      await databases.close().catch(() => {});
      await stopTestDatabaseServer();
    }
  });
});
