// The AAA server and the control API's dependencies in this test process, on a seeded data dir,
// with a clock the test moves: for jobs and time travel that a spawned ./kiunga cannot do.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AaaServer, startAaaServer } from '@kiunga/aaa-server';
import { type ApiDependencies, createApp, deriveTokenKey } from '@kiunga/control-api';
import {
  type Clock,
  createSecretBox,
  openPlatformDatabase,
  type PlatformDatabase,
  ShardRegistry,
} from '@kiunga/schemas';
import pino from 'pino';

export interface InProcessKiunga {
  masterKey: string;
  platform: PlatformDatabase;
  shards: ShardRegistry;
  aaa: AaaServer;
  dependencies: ApiDependencies;
  app: ReturnType<typeof createApp>;
  stop(): Promise<void>;
}

export interface InProcessOptions {
  dataDir: string;
  clock: Clock;
  /** Default: a port nothing listens on, so outside callbacks to us are lost. */
  publicUrl?: string;
  mpesaBaseUrl?: string | null;
  /** Before the AAA server loads the NAS registry: e.g. point the demo NAS's CoA at a simulator. */
  prepare?: (platform: PlatformDatabase) => void;
  extra?: Partial<ApiDependencies>;
}

export async function startInProcess(options: InProcessOptions): Promise<InProcessKiunga> {
  const masterKey = readFileSync(join(options.dataDir, 'master.key'), 'utf8').trim();
  const platform = openPlatformDatabase(options.dataDir);
  options.prepare?.(platform);
  const shards = new ShardRegistry({ dataDir: options.dataDir });
  const secretBox = createSecretBox(masterKey);
  const logger = pino({ level: process.env['KIUNGA_TEST_DEBUG'] ? 'debug' : 'silent' });
  const aaa = await startAaaServer({
    host: '127.0.0.1',
    authPort: 0,
    acctPort: 0,
    dataDir: options.dataDir,
    platform,
    secretBox,
    clock: options.clock,
    logger,
    shards,
  });
  const dependencies: ApiDependencies = {
    platform,
    shards,
    secretBox,
    clock: options.clock,
    aaa: aaa.control,
    logger,
    tokenKey: deriveTokenKey(masterKey),
    publicUrl: options.publicUrl ?? 'http://127.0.0.1:9',
    mpesaBaseUrl: options.mpesaBaseUrl ?? null,
    ...options.extra,
  };
  return {
    masterKey,
    platform,
    shards,
    aaa,
    dependencies,
    app: createApp(dependencies),
    async stop() {
      await aaa.stop();
      platform.close();
    },
  };
}
