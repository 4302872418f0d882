// Running PostgreSQL's own pg_dump and pg_restore: the Debian package's binaries of the server's major
// version (pg_dump refuses a newer server; pg_restore reads dumps of its own or older versions), the
// password passed through a temporary password file rather than the command line (which every local
// account can read from the process list). PostgreSQL 15 manual: pg_dump, pg_restore, libpq §34.16.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PRIVATE_FILE_MODE } from '../../file-modes';
import { BackupError } from './errors';

/** Where Debian's postgresql-client-<major> installs its binaries. */
const DEBIAN_POSTGRESQL_ROOT = '/usr/lib/postgresql';
/** What a failed tool printed is kept for the error message up to this size. */
const TOOL_OUTPUT_BYTES_MAX = 16 * 1024;

export interface PostgresTarget {
  /** KIUNGA_DATABASE_URL as given. */
  readonly url: string;
  /** The server's major version (server_version_num / 10000). */
  readonly majorVersion: number;
  /** SHOW server_version, e.g. "15.13 (Debian 15.13-0+deb12u1)". */
  readonly serverVersion: string;
}

export async function describePostgres(url: string): Promise<PostgresTarget> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ number: string; text: string }>(
      `SELECT current_setting('server_version_num') AS number, current_setting('server_version') AS text`,
    );
    const row = result.rows[0];
    if (!row) throw new Error('PostgreSQL did not say its version');
    return { url, majorVersion: Math.floor(Number(row.number) / 10_000), serverVersion: row.text };
  } finally {
    await client.end();
  }
}

/** /usr/lib/postgresql/<major>/bin/<tool>, or `tool_missing` saying which package to install. */
export function postgresTool(tool: 'pg_dump' | 'pg_restore', majorVersion: number): string {
  const path = join(DEBIAN_POSTGRESQL_ROOT, String(majorVersion), 'bin', tool);
  if (!existsSync(path)) {
    throw new BackupError(
      'tool_missing',
      `${tool} of PostgreSQL ${majorVersion} (the server's version) is not installed: apt-get install postgresql-client-${majorVersion}`,
    );
  }
  return path;
}

/** A password file line's field: ':' and '\' are escaped with '\' (libpq §34.16 "The Password File"). */
function escapePasswordField(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll(':', '\\:');
}

/**
 * Runs `work` with a connection string free of its password and an environment whose PGPASSFILE (0600,
 * removed afterwards) holds it for any host, port, database and user ('*' fields).
 */
export async function withToolConnection<Result>(
  url: string,
  work: (connection: { dbname: string; environment: NodeJS.ProcessEnv }) => Promise<Result>,
): Promise<Result> {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  const environment: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: 'kiunga-backup' };
  delete environment.PGPASSWORD;
  const folder = await mkdtemp(join(tmpdir(), 'kiunga-pgpass-'));
  try {
    if (password) {
      const passfile = join(folder, 'pgpass');
      await writeFile(passfile, `*:*:*:*:${escapePasswordField(password)}\n`, { mode: PRIVATE_FILE_MODE });
      environment.PGPASSFILE = passfile;
    }
    return await work({ dbname: parsed.toString(), environment });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Runs a PostgreSQL tool; a non-zero exit is `tool_failed` carrying what it printed. */
export function runTool(
  path: string,
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      if (output.length < TOOL_OUTPUT_BYTES_MAX) output += chunk.toString();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => reject(new BackupError('tool_failed', `${path}: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else
        reject(
          new BackupError('tool_failed', `${path.split('/').at(-1)} failed (exit ${code}): ${output.trim()}`),
        );
    });
  });
}
