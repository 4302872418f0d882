// The AAA server and the control API's dependencies in this test process, on a seeded data dir,
// with a clock the test moves: for jobs and time travel that a spawned ./kiunga cannot do. The data
// dir's databases are SQLite files, or PostgreSQL with KIUNGA_TEST_DATABASE=postgres (test-database.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AaaServer, startAaaServer } from '@kiunga/aaa-server';
import { type ApiDependencies, createApp, deriveTokenKey } from '@kiunga/control-api';
import {
  type Clock,
  createSecretBox,
  type Databases,
  openDatabases,
  type SqlDatabase,
  SqliteDatabases,
} from '@kiunga/schemas';
import pino from 'pino';
import { databaseUrlFor } from './test-database';

export interface InProcessKiunga {
  masterKey: string;
  databases: Databases;
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
  prepare?: (platform: SqlDatabase) => Promise<void>;
  extra?: Partial<ApiDependencies>;
}

export async function startInProcess(options: InProcessOptions): Promise<InProcessKiunga> {
  const masterKey = readFileSync(join(options.dataDir, 'master.key'), 'utf8').trim();
  const databaseUrl = await databaseUrlFor(options.dataDir);
  const databases = await openDatabases({
    dataDir: options.dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
  });
  await options.prepare?.(databases.platform);
  if (!(databases instanceof SqliteDatabases)) {
    await databases.close();
    throw new Error('the in-process AAA server does not run on PostgreSQL yet');
  }
  const secretBox = createSecretBox(masterKey);
  const logger = pino({ level: process.env['KIUNGA_TEST_DEBUG'] ? 'debug' : 'silent' });
  // One connection per SQLite file, as in ./kiunga start: the AAA server shares the layer's handles.
  const aaa = await startAaaServer({
    host: '127.0.0.1',
    authPort: 0,
    acctPort: 0,
    dataDir: options.dataDir,
    platform: databases.platformHandle,
    secretBox,
    clock: options.clock,
    logger,
    shards: databases.shards,
  });
  const dependencies: ApiDependencies = {
    databases,
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
    databases,
    aaa,
    dependencies,
    app: createApp(dependencies),
    async stop() {
      await aaa.stop();
      await databases.close();
    },
  };
}
