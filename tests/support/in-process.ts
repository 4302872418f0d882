// The AAA server and the control API's dependencies in this test process, on a seeded data dir,
// with a clock the test moves: for jobs and time travel that a spawned ./kiunga cannot do. The data
// dir's databases are SQLite files, or PostgreSQL with KIUNGA_TEST_DATABASE=postgres (test-database.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AaaServer, startAaaServer } from '@kiunga/aaa-server';
import { type ApiDependencies, createApp, deriveTokenKey } from '@kiunga/control-api';
import { type Clock, createSecretBox, type Databases, type SqlDatabase } from '@kiunga/schemas';
import pino from 'pino';
import { openDataDirDatabases } from './data-access';

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
  const databases = await openDataDirDatabases(options.dataDir);
  await options.prepare?.(databases.platform);
  const secretBox = createSecretBox(masterKey);
  const logger = pino({ level: process.env['KIUNGA_TEST_DEBUG'] ? 'debug' : 'silent' });
  // One connection per SQLite file, as in ./kiunga start: the AAA server shares the layer's databases.
  const aaa = await startAaaServer({
    host: '127.0.0.1',
    authPort: 0,
    acctPort: 0,
    databases,
    secretBox,
    clock: options.clock,
    logger,
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
