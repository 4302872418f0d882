// `kiunga start`: run the AAA server and the control API until SIGTERM/SIGINT, then stop cleanly.
import { startAaaServer } from '@kiunga/aaa-server';
import { deriveTokenKey, startControlApi } from '@kiunga/control-api';
import { createSecretBox, openDatabases } from '@kiunga/schemas';
import { CLOCK_START_VARIABLE, type ProcessClock } from '../clock-start';
import type { KiungaConfig } from '../config';
import { createLogger } from '../logger';

/** Resolves with the exit code once the servers have stopped. */
export async function runServers(
  config: KiungaConfig,
  masterKey: string,
  time: ProcessClock,
): Promise<number> {
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
  // One connection per SQLite file in this process: the AAA server and the control API share the layer.
  const aaa = await startAaaServer({
    host: config.radiusHost,
    authPort: config.radiusAuthPort,
    acctPort: config.radiusAcctPort,
    databases,
    secretBox,
    clock,
    logger,
  });
  const api = await startControlApi({
    host: config.httpHost,
    port: config.httpPort,
    aaa: aaa.control,
    databases,
    secretBox,
    clock,
    logger,
    tokenKey: deriveTokenKey(masterKey),
    publicUrl: config.publicUrl,
    trustedProxies: config.trustedProxies,
    mpesaBaseUrl: config.mpesaBaseUrl,
    smsBaseUrl: config.smsBaseUrl,
    platformBilling: config.platformBilling,
    metricsToken: config.metricsToken,
    radius: { addresses: config.radiusPublicAddresses, authPort: aaa.authPort, acctPort: aaa.acctPort },
  });
  logger.info(
    {
      httpPort: api.port,
      radiusAuthPort: aaa.authPort,
      radiusAcctPort: aaa.acctPort,
      dataDir: config.dataDir,
      database: databases.dialect,
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
        await aaa.stop();
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
