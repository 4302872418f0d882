// The AAA server and the control API's dependencies in this test process, on a seeded data dir,
// with a clock the test moves: for jobs and time travel that a spawned ./kiunga cannot do. The data
// dir's databases are SQLite files, or PostgreSQL with KIUNGA_TEST_DATABASE=postgres (test-database.ts).
// Also the demo run so with an SMTP sink as its mail server (startMailingInProcess).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AaaServer, startAaaServer } from '@kiunga/aaa-server';
import { type ApiDependencies, createApp, deriveTokenKey } from '@kiunga/control-api';
import { type SmtpSink, startSmtpSink } from '@kiunga/ops/sim/smtp';
import { type Clock, createSecretBox, type Databases, type SqlDatabase } from '@kiunga/schemas';
import pino from 'pino';
import { openDataDirDatabases } from './data-access';
import { type DemoJson, makeDataDir, removeDataDir, seedDemo } from './kiunga-process';

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

/** The sender of the in-process tests' mail. */
const TEST_MAIL_FROM = '"Kiunga" <no-reply@kiunga.test>';

export interface MailingInProcess extends InProcessKiunga {
  /** The demo seeded into the data dir. */
  demo: DemoJson;
  /** Where the email job's mail arrives (SMTP on loopback). */
  sink: SmtpSink;
}

/**
 * The demo seeded into a fresh data dir and run in this process with an SMTP sink on loopback as its mail
 * server (the email job sends there); stop() ends the app, the sink and removes the data dir.
 */
export async function startMailingInProcess(options: {
  clock: Clock;
  publicUrl: string;
}): Promise<MailingInProcess> {
  const dataDir = makeDataDir();
  let sink: SmtpSink | undefined;
  let kiunga: InProcessKiunga;
  let demo: DemoJson;
  try {
    demo = await seedDemo(dataDir, 0);
    sink = await startSmtpSink({ port: 0 });
    kiunga = await startInProcess({
      dataDir,
      clock: options.clock,
      publicUrl: options.publicUrl,
      extra: { email: { smtpUrl: sink.url, from: TEST_MAIL_FROM } },
    });
  } catch (error) {
    await sink?.stop();
    removeDataDir(dataDir);
    throw error;
  }
  return {
    ...kiunga,
    demo,
    sink,
    async stop() {
      await kiunga.stop();
      await sink?.stop();
      removeDataDir(dataDir);
    },
  };
}
