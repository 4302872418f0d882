// Test harness: a throwaway PostgreSQL server (Debian's package) on a free 127.0.0.1 port, its data
// and socket in a temporary directory, gone when the test file ends — even when the process dies.
// Not exported from @kiunga/schemas: tests import it by path.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** How long the server may take to accept connections (initdb of a template included). */
const STARTUP_TIMEOUT_MS = 60_000;
/** Pause between readiness probes: short, the server is usually up in a few hundred ms. */
const READINESS_POLL_MS = 25;
/** A freshly chosen free port can be taken by someone else before the server binds it: retry. */
const START_ATTEMPTS_MAX = 3;
/** The superuser initdb creates; every test connects as it over loopback with trust auth. */
const SUPERUSER = 'kiunga';
/** The unprivileged account Debian's postgresql package creates: initdb refuses to run as root. */
const SERVER_ACCOUNT = 'postgres';

export interface PostgresServer {
  /** postgres://kiunga@127.0.0.1:<port>/postgres */
  readonly url: string;
  readonly port: number;
  /** Milliseconds from the call to a server accepting connections. */
  readonly startupMs: number;
  /** A new empty database on this server, and its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function postgresBinDirectory(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (!newest)
    throw new Error('PostgreSQL is not installed (apt-get install postgresql; ./kiunga test does it)');
  return join(root, newest, 'bin');
}

/** The command prefix that runs a PostgreSQL binary as an unprivileged user. */
function asServerAccount(): string[] {
  if (process.getuid?.() !== 0) return [];
  return ['setpriv', `--reuid=${SERVER_ACCOUNT}`, `--regid=${SERVER_ACCOUNT}`, '--init-groups', '--'];
}

function chownToServerAccount(path: string): void {
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', `${SERVER_ACCOUNT}:${SERVER_ACCOUNT}`, path]);
}

/**
 * initdb once per machine and PostgreSQL version into a template that each server copies (≈0.1 s
 * instead of ≈2 s). Built aside and renamed into place, so a reader never sees half a template.
 */
function templateDataDirectory(binDirectory: string): string {
  const version = binDirectory.split('/').at(-2);
  const owner = process.getuid?.() === 0 ? SERVER_ACCOUNT : String(process.getuid?.());
  const template = join(tmpdir(), `kiunga-postgres-template-${version}-${owner}`);
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  const building = mkdtempSync(join(tmpdir(), 'kiunga-postgres-initdb-'));
  chownToServerAccount(building);
  const data = join(building, 'data');
  const initdb = [...asServerAccount(), join(binDirectory, 'initdb')];
  const args = ['-D', data, '-U', SUPERUSER, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'];
  execFileSync(initdb[0] as string, [...initdb.slice(1), ...args], { stdio: 'pipe' });
  try {
    renameSync(data, template);
  } catch (error) {
    // Another test process won the race: its template is as good as ours.
    if (!existsSync(join(template, 'PG_VERSION'))) throw error;
  }
  rmSync(building, { recursive: true, force: true });
  return template;
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/**
 * A root-run shell holds the server: it starts postgres, then blocks reading its stdin, a pipe from
 * this process. When this process closes it — stop(), exit, crash or SIGKILL alike — the read
 * returns, and the shell stops the server (fast shutdown) and removes the directory.
 */
function spawnGuardedServer(
  binDirectory: string,
  directory: string,
  port: number,
  options: ServerOptions,
): ChildProcess {
  const postgres = [...asServerAccount(), join(binDirectory, 'postgres')]
    .map((part) => `'${part}'`)
    .join(' ');
  const settings = [
    `-p ${port}`,
    `-k '${directory}'`,
    "-c listen_addresses='127.0.0.1'",
    // Test data is thrown away: durability would only cost time (a benchmark asks for it: isDurable).
    ...(options.isDurable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    ...(options.settings ?? []).map((setting) => `-c '${setting}'`),
  ].join(' ');
  const script = [
    `${postgres} -D '${directory}/data' ${settings} >'${directory}/server.log' 2>&1 &`,
    'server=$!',
    'cat >/dev/null',
    'kill -INT "$server" 2>/dev/null',
    'wait "$server"',
    `rm -rf '${directory}'`,
  ].join('\n');
  const guard = spawn('bash', ['-c', script], { stdio: ['pipe', 'ignore', 'ignore'], detached: false });
  guard.unref();
  (guard.stdin as unknown as { unref?: () => void }).unref?.();
  return guard;
}

async function waitUntilAccepting(url: string, guard: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (guard.exitCode !== null) break;
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => {});
      if (/could not bind|already in use/i.test(readLog(logPath))) break;
      await new Promise((resolve) => setTimeout(resolve, READINESS_POLL_MS));
    }
  }
  throw new Error(`PostgreSQL did not start: ${String(lastError)}\n${readLog(logPath)}`);
}

function readLog(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

async function startOnce(
  binDirectory: string,
  template: string,
  startedAt: number,
  options: ServerOptions,
): Promise<PostgresServer> {
  const directory = mkdtempSync(join(tmpdir(), 'kiunga-postgres-'));
  execFileSync('cp', ['-a', template, join(directory, 'data')]);
  chownToServerAccount(directory);
  const port = await freeLoopbackPort();
  const guard = spawnGuardedServer(binDirectory, directory, port, options);
  const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  const stop = () => stopGuardedServer(guard);
  try {
    await waitUntilAccepting(url, guard, join(directory, 'server.log'));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    port,
    startupMs: Date.now() - startedAt,
    stop,
    createDatabase: async (name) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
      return `postgres://${SUPERUSER}@127.0.0.1:${port}/${encodeURIComponent(name)}`;
    },
  };
}

function stopGuardedServer(guard: ChildProcess): Promise<void> {
  if (guard.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // Unreferenced so that it never keeps a test process alive; referenced again while stopping.
    guard.ref();
    guard.once('exit', () => resolve());
    guard.stdin?.end();
  });
}

export interface ServerOptions {
  /**
   * PostgreSQL's own defaults (fsync, synchronous commit), for benchmarks that measure what a
   * production server pays; tests leave it off.
   */
  readonly isDurable?: boolean;
  /** More `name=value` server settings (a benchmark loading pg_stat_statements); no quotes inside. */
  readonly settings?: readonly string[];
}

/** Starts a server for one test file; call stop() in afterAll (it also goes when the process ends). */
export async function startPostgresServer(options: ServerOptions = {}): Promise<PostgresServer> {
  const startedAt = Date.now();
  const binDirectory = postgresBinDirectory();
  const template = templateDataDirectory(binDirectory);
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS_MAX; attempt++) {
    try {
      return await startOnce(binDirectory, template, startedAt, options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
