// The `kiunga` command line, every command of it. The ./kiunga script runs this file.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  BackupError,
  type DatabasesConfig,
  openDatabases,
  PRIVATE_UMASK,
  systemClock,
  tightenDataDirectory,
} from '@kiunga/schemas';
import { AccountError, createSuperAdmin } from '../accounts';
import {
  BackupUsageError,
  runBackupCommand,
  runMigrateToPostgresCommand,
  runRestoreCommand,
} from '../backup/commands';
import { processClock } from '../clock-start';
import { ConfigError, type KiungaConfig, readConfig, resolveMasterKey } from '../config';
import { DEMO_EXTRA_VOUCHERS_DEFAULT, DEMO_EXTRA_VOUCHERS_MAX, seedDemo } from '../demo/seed';
import { migrateAll } from '../migrate';
import { startDemoSimulators } from './demo-simulators';
import { parseNodeRole } from './node-roles';
import { runServers } from './run-servers';

const usage = `kiunga — multi-tenant ISP billing and RADIUS/AAA

Usage: ./kiunga <command> [options]

Commands:
  demo                     migrate, seed the demo platform (two ISPs), start everything, print URLs and logins
    --seed-only            only seed; do not start the servers
    --json                 print the demo description as JSON on stdout
    --data-dir D           data directory (default KIUNGA_DATA_DIR or ./data)
    --vouchers N           extra vouchers for the first ISP (default ${DEMO_EXTRA_VOUCHERS_DEFAULT})
  start                    start the AAA server and the control API on an existing data dir
    --role all|aaa|api     all (default): both; api: only the control API and its jobs; aaa: only the
                           AAA server. aaa and api need KIUNGA_DATABASE_URL (nodes share state there:
                           several processes on one SQLite data dir is not supported); aaa on
                           PostgreSQL is not wired yet (docs/scaling.md)
  migrate                  create or upgrade the platform database and every tenant's
  admin create --email E --password P
                           create a super admin
  backup --to DIR          a consistent backup while running, into DIR/<time>/ (manifest.json written last)
    --data-dir D           data directory to back up (embedded mode)
    --include-key          also store the master key, encrypted with the passphrase in --passphrase-file F
  restore --from DIR       verify a backup's manifest, then restore it (DIR: a backup, or a folder of them)
    --data-dir D           data directory to restore into (must be empty unless --force)
    --force                move a non-empty data dir aside (or drop Kiunga's schemas) first
    --passphrase-file F    opens the master key of a backup made with --include-key (or --without-key)
  migrate-to-postgres      copy the embedded installation into KIUNGA_DATABASE_URL and verify it
    --data-dir D           data directory to copy; --force replaces what the target holds;
                           --verify-only compares again without copying
  build                    compile into dist/ now (start, demo and the others do it when it is stale)
  test                     install what the tests need and run typecheck, lint and every test
  --help                   show this help

Environment: KIUNGA_DATA_DIR, KIUNGA_DATABASE_URL (PostgreSQL; unset: SQLite files in the data dir),
KIUNGA_REDIS_URL (redis:// or rediss://: sign-in and portal limits shared by every node; unset: in memory),
KIUNGA_HTTP_HOST, KIUNGA_HTTP_PORT, KIUNGA_RADIUS_HOST, KIUNGA_RADIUS_AUTH_PORT, KIUNGA_RADIUS_ACCT_PORT,
KIUNGA_MASTER_KEY, KIUNGA_PUBLIC_URL, KIUNGA_MPESA_BASE_URL, KIUNGA_SMS_BASE_URL, KIUNGA_SMTP_URL, KIUNGA_SMTP_FROM,
KIUNGA_METRICS_TOKEN, KIUNGA_LOG_LEVEL, KIUNGA_BACKUP_DIR, KIUNGA_BACKUP_KEEP, KIUNGA_GENIEACS_URL/_USERNAME/_PASSWORD
(the platform's shared TR-069 ACS), KIUNGA_QUICKBOOKS_*/KIUNGA_XERO_* (accounting apps),
KIUNGA_WEBHOOKS_ALLOW_PRIVATE=true (demo and tests only), KIUNGA_RUN_FROM_SOURCE=1 (run the TypeScript through tsx instead of the build); for
demos and tests only, KIUNGA_CLOCK_START (the clock starts at that instant; refused on a data dir 'demo'
did not make).
`;

/** The demo's metrics token when KIUNGA_METRICS_TOKEN is unset: 32 random bytes, 64 hex characters. */
const DEMO_METRICS_TOKEN_BYTES = 32;

class UsageError extends Error {}

const printLine = (line: string) => process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  // Everything this process creates (databases, -wal/-shm, demo.json, backups) is the owner's alone.
  process.umask(PRIVATE_UMASK);
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage);
    return command === undefined ? 1 : 0;
  }
  switch (command) {
    case 'migrate':
      return runMigrate(rest);
    case 'demo':
      return runDemo(rest);
    case 'start':
      return runStart(rest);
    case 'admin':
      return runAdmin(rest);
    case 'backup':
      return runBackupCommand(rest, printLine);
    case 'restore':
      return runRestoreCommand(rest, printLine);
    case 'migrate-to-postgres':
      return runMigrateToPostgresCommand(rest, printLine);
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

function dataDirOption(rest: string[]): { config: KiungaConfig; values: Record<string, unknown> } {
  const { values } = parseArgs({ args: rest, options: { 'data-dir': { type: 'string' } }, strict: true });
  return { config: readConfig(process.env, { dataDir: values['data-dir'] }), values };
}

/** Where the databases are: KIUNGA_DATABASE_URL (PostgreSQL) when set, else files in the data dir. */
function databasesOf(config: KiungaConfig): DatabasesConfig {
  return { dataDir: config.dataDir, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}) };
}

/**
 * Every command that opens the data directory first takes group and other access off what is in it,
 * mending installations from before files were created owner-only (new ones are: umask, database.ts).
 */
function prepareDataDirectory(config: KiungaConfig): void {
  for (const entry of tightenDataDirectory(config.dataDir)) {
    process.stderr.write(`kiunga: warning: ${entry.path} is still readable by others: ${entry.reason}\n`);
  }
}

async function runMigrate(rest: string[]): Promise<number> {
  const { config } = dataDirOption(rest);
  prepareDataDirectory(config);
  resolveMasterKey(config, { createIfMissing: true });
  const summary = await migrateAll(databasesOf(config));
  const where = config.databaseUrl ? 'PostgreSQL' : config.dataDir;
  process.stdout.write(`migrated ${where}: platform DB and ${summary.tenantsMigrated} tenant shard(s)\n`);
  return 0;
}

async function runDemo(rest: string[]): Promise<number> {
  const { values } = parseArgs({
    args: rest,
    options: {
      'seed-only': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      vouchers: { type: 'string' },
    },
    strict: true,
  });
  const extraVouchers = values.vouchers === undefined ? DEMO_EXTRA_VOUCHERS_DEFAULT : Number(values.vouchers);
  if (!Number.isInteger(extraVouchers) || extraVouchers < 0 || extraVouchers > DEMO_EXTRA_VOUCHERS_MAX) {
    throw new UsageError(`--vouchers must be a whole number from 0 to ${DEMO_EXTRA_VOUCHERS_MAX}`);
  }
  const config = readConfig(process.env, { dataDir: values['data-dir'] });
  prepareDataDirectory(config);
  const time = processClock(process.env, { dataDir: config.dataDir, isDemoCommand: true });
  const masterKey = resolveMasterKey(config, { createIfMissing: true });
  await migrateAll(databasesOf(config));
  const demo = await seedDemo({
    ...databasesOf(config),
    masterKey,
    extraVouchers,
    nowMs: time.clock.now(),
  });
  if (values.json) process.stdout.write(`${JSON.stringify(demo, null, 2)}\n`);
  if (values['seed-only']) {
    if (!values.json) process.stdout.write(`demo seeded in ${config.dataDir}\n`);
    return 0;
  }
  const simulators = await startDemoSimulators(demo, config, time.clock);
  // A fresh token each run unless one is configured; printed below, so the demo's /metrics can be read.
  const demoConfig: KiungaConfig = {
    ...simulators.config,
    metricsToken: config.metricsToken ?? randomBytes(DEMO_METRICS_TOKEN_BYTES).toString('hex'),
    // The demo's ISPs point webhooks at receivers on this machine (KIUNGA_WEBHOOKS_ALLOW_PRIVATE).
    webhooksAllowPrivate: true,
  };
  if (!values.json) process.stdout.write(describeDemo(demo, demoConfig));
  try {
    return await runServers(demoConfig, masterKey, time);
  } finally {
    await simulators.stop();
  }
}

function describeDemo(demo: Awaited<ReturnType<typeof seedDemo>>, config: KiungaConfig): string {
  const lines = [
    '',
    'Kiunga demo',
    `  Consoles:      ${config.publicUrl}/login`,
    `  Health:        ${config.publicUrl}/healthz`,
    `  Metrics:       curl -H 'Authorization: Bearer ${config.metricsToken}' ${config.publicUrl}/metrics`,
    `  RADIUS:        auth ${config.radiusHost}:${config.radiusAuthPort}, accounting ${config.radiusHost}:${config.radiusAcctPort}`,
    `  M-Pesa:        ${config.mpesaBaseUrl ?? 'not configured'} (Daraja simulator unless KIUNGA_MPESA_BASE_URL is set)`,
    `  SMS:           ${config.smsBaseUrl ?? 'not configured'} (SMS gateway simulator unless KIUNGA_SMS_BASE_URL is set)`,
    `  Super admin:   ${demo.superAdmin.email} / ${demo.superAdmin.password}`,
  ];
  for (const tenant of demo.tenants) {
    const nas = tenant.nas[0];
    const voucher = tenant.vouchers[0];
    const subscriber = tenant.subscribers[0];
    lines.push(
      `  ISP ${tenant.name} (${tenant.slug}): owner ${tenant.owner.email} / ${tenant.owner.password}`,
      `      NAS ${nas?.ip} secret ${nas?.secret}; voucher ${voucher?.code}; PPPoE ${subscriber?.username} / ${subscriber?.password}`,
      `      Captive portal: ${config.publicUrl}/portal/${tenant.slug}`,
    );
  }
  lines.push(`  Full details:  ${config.dataDir}/demo.json`, '');
  return `${lines.join('\n')}\n`;
}

function runStart(rest: string[]): Promise<number> {
  const { values } = parseArgs({
    args: rest,
    options: { 'data-dir': { type: 'string' }, role: { type: 'string' } },
    strict: true,
  });
  const role = parseNodeRole(values.role);
  const config = readConfig(process.env, { dataDir: values['data-dir'] });
  prepareDataDirectory(config);
  const time = processClock(process.env, { dataDir: config.dataDir, isDemoCommand: false });
  const masterKey = resolveMasterKey(config, { createIfMissing: false });
  return runServers(config, masterKey, time, role);
}

async function runAdmin(rest: string[]): Promise<number> {
  const [subcommand, ...options] = rest;
  if (subcommand !== 'create')
    throw new UsageError(`unknown admin command '${subcommand ?? ''}' (try 'admin create')`);
  const { values } = parseArgs({
    args: options,
    options: { email: { type: 'string' }, password: { type: 'string' }, 'data-dir': { type: 'string' } },
    strict: true,
  });
  if (!values.email || !values.password) throw new UsageError('admin create needs --email and --password');
  const config = readConfig(process.env, { dataDir: values['data-dir'] });
  prepareDataDirectory(config);
  resolveMasterKey(config, { createIfMissing: true });
  const databases = await openDatabases(databasesOf(config));
  try {
    const admin = await createSuperAdmin(
      databases.platform,
      { email: values.email, password: values.password },
      systemClock.now(),
    );
    process.stdout.write(`created super admin ${admin.email} (${admin.id})\n`);
  } finally {
    await databases.close();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (error: unknown) => {
    const isUsage = error instanceof UsageError || error instanceof BackupUsageError;
    const isKnown =
      isUsage ||
      error instanceof ConfigError ||
      error instanceof AccountError ||
      error instanceof BackupError;
    process.stderr.write(`kiunga: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!isKnown) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    if (isUsage) process.stderr.write(`Run './kiunga --help' for the commands.\n`);
    process.exitCode = isKnown ? 2 : 1;
  },
);
