// `kiunga start`: run the AAA server and the control API (or one of them: --role) until SIGTERM/SIGINT,
// then stop cleanly.
import { type AaaServer, type ApiNodeControl, startAaaServer, startApiNodeControl } from '@kiunga/aaa-server';
import {
  type ApiDependencies,
  connectApiRedis,
  createPostgresJobLeases,
  createRedisRateLimits,
  deriveTokenKey,
  pingRedis,
  startControlApi,
} from '@kiunga/control-api';
import { createTxtLookup } from '@kiunga/control-api/integrations/dns';
import { createSecretBox, openDatabases } from '@kiunga/schemas';
import type { Logger } from 'pino';
import { CLOCK_START_VARIABLE, type ProcessClock } from '../clock-start';
import type { KiungaConfig } from '../config';
import { createLogger } from '../logger';
import { aaaOnOtherNodes, assertRoleFits, type NodeRole } from './node-roles';

/** Resolves with the exit code once the servers have stopped. */
export async function runServers(
  config: KiungaConfig,
  masterKey: string,
  time: ProcessClock,
  role: NodeRole = 'all',
): Promise<number> {
  assertRoleFits(role, config);
  const logger = createLogger(config.logLevel);
  const { clock } = time;
  if (time.startMs !== null) {
    logger.warn(
      { clockStartedAt: new Date(time.startMs).toISOString() },
      `${CLOCK_START_VARIABLE} is set: this demo runs on a clock that started at that instant, not today's date`,
    );
  }
  const databases = await openDatabases({
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
  });
  const secretBox = createSecretBox(masterKey);
  const aaa = role === 'api' ? null : await startAaa(config, databases, { secretBox, clock, logger });
  // An API-only node reads the AAA nodes' shared session table when there is one (docs/scaling.md).
  const sharedSessions: ApiNodeControl | null =
    role === 'api' && config.redisUrl !== null
      ? await startApiNodeControl({ redisUrl: config.redisUrl, databases, secretBox, logger })
      : null;
  const scaled = scaledDependencies(config, logger, role);
  const api = await startControlApi({
    host: config.httpHost,
    port: config.httpPort,
    aaa: aaa?.control ?? sharedSessions?.control ?? aaaOnOtherNodes,
    // An AAA node keeps its HTTP port for /healthz and /metrics, but the jobs run on API nodes only.
    runJobs: role !== 'aaa',
    ...scaled.dependencies,
    databases,
    secretBox,
    clock,
    logger,
    tokenKey: deriveTokenKey(masterKey),
    publicUrl: config.publicUrl,
    trustedProxies: config.trustedProxies,
    mpesaBaseUrl: config.mpesaBaseUrl,
    smsBaseUrl: config.smsBaseUrl,
    txtLookup: createTxtLookup({ server: config.dnsServer }),
    email: config.email,
    platformSms: config.platformSms,
    platformBilling: config.platformBilling,
    accounting: config.accounting,
    metricsToken: config.metricsToken,
    webhooksAllowPrivate: config.webhooksAllowPrivate,
    sharedGenieAcs: config.sharedGenieAcs,
    radius: {
      addresses: config.radiusPublicAddresses,
      authPort: aaa?.authPort ?? config.radiusAuthPort,
      acctPort: aaa?.acctPort ?? config.radiusAcctPort,
    },
  });
  logger.info(
    {
      role,
      httpPort: api.port,
      radiusAuthPort: aaa?.authPort ?? null,
      radiusAcctPort: aaa?.acctPort ?? null,
      dataDir: config.dataDir,
      database: databases.dialect,
      redis: config.redisUrl === null ? 'absent' : 'configured',
    },
    'kiunga started',
  );
  return new Promise<number>((resolve) => {
    let isStopping = false;
    const stop = async (signal: string) => {
      if (isStopping) return;
      isStopping = true;
      logger.info({ signal }, 'stopping: intake first, then accounting flush, then databases');
      try {
        await api.stop();
        await aaa?.stop();
        await sharedSessions?.close();
        scaled.close();
        await databases.close();
        logger.info('stopped');
        resolve(0);
      } catch (error) {
        logger.error({ err: error }, 'stop failed');
        resolve(1);
      }
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}

/** The AAA server on the SQLite files' handles (one connection per file in this process). */
async function startAaa(
  config: KiungaConfig,
  databases: Awaited<ReturnType<typeof openDatabases>>,
  shared: { secretBox: ReturnType<typeof createSecretBox>; clock: ProcessClock['clock']; logger: Logger },
): Promise<AaaServer> {
  const { secretBox, clock, logger } = shared;
  // One connection per SQLite file in this process: the AAA server and the control API share the layer.
  return startAaaServer({
    host: config.radiusHost,
    authPort: config.radiusAuthPort,
    acctPort: config.radiusAcctPort,
    databases,
    secretBox,
    clock,
    logger,
    redisUrl: config.redisUrl,
  });
}

/**
 * What a node of a scaled deployment adds to the API's dependencies: job leases on PostgreSQL, limits
 * in Redis, and the parts /healthz asks about. Embedded: nothing (in-process leases and limits).
 */
function scaledDependencies(
  config: KiungaConfig,
  logger: Logger,
  role: NodeRole,
): { dependencies: Partial<ApiDependencies>; close(): void } {
  const redis = config.redisUrl === null ? null : connectApiRedis(config.redisUrl, logger);
  return {
    dependencies: {
      ...(config.databaseUrl === null
        ? {}
        : { jobLeases: createPostgresJobLeases(config.databaseUrl, logger) }),
      ...(redis === null ? {} : { rateLimits: createRedisRateLimits(redis, logger) }),
      health: {
        isAaaInProcess: role !== 'api',
        ...(redis === null ? {} : { redis: () => pingRedis(redis) }),
      },
    },
    close() {
      redis?.disconnect();
    },
  };
}
