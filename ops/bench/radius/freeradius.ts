// Runs a stock FreeRADIUS 3.x (files + pap) from a scratch copy of /etc/freeradius/3.0, for comparison runs.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FREERADIUS_CONFIG_SOURCE = '/etc/freeradius/3.0';
/** Starting reads a few hundred files and the users file; a minute is far more than it needs here. */
const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;
/**
 * Only these modules are instantiated; everything else (eap, sql, ldap...) would slow the start. `detail` is
 * the stock accounting store (one text file per NAS and day, written without fsync): what accounting is
 * compared with.
 */
const MODULES_ENABLED = ['always', 'files', 'pap', 'chap', 'mschap', 'detail'] as const;
/** Startup logs are kept to explain a failure; a cap keeps a chatty server from growing memory. */
const LOG_CHARACTERS_MAX = 64_000;

export interface FreeRadiusUser {
  readonly username: string;
  readonly password: string;
}

/** Reply attributes for every user, in FreeRADIUS users-file syntax (name to already-quoted value). */
export type FreeRadiusReply = ReadonlyArray<readonly [name: string, value: string]>;

export interface FreeRadiusOptions {
  readonly host: string;
  readonly authPort: number;
  readonly acctPort: number;
  readonly secret: string;
  readonly users: readonly FreeRadiusUser[];
  readonly reply: FreeRadiusReply;
}

export interface FreeRadiusServer {
  readonly pid: number;
  readonly host: string;
  readonly authPort: number;
  readonly acctPort: number;
  readonly secret: string;
  readonly configDirectory: string;
  stop(): Promise<void>;
}

export function isFreeRadiusInstalled(): boolean {
  try {
    execFileSync('which', ['freeradius'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function quote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** The users file: one entry per voucher code, the same reply our server gives. */
export function renderUsersFile(users: readonly FreeRadiusUser[], reply: FreeRadiusReply): string {
  const replyLines = reply.map(([name, value]) => `\t${name} = ${value}`).join(',\n');
  return users
    .map((user) => `${quote(user.username)} Cleartext-Password := ${quote(user.password)}\n${replyLines}\n`)
    .join('\n');
}

/** radiusd.conf with the stock values for limits and thread pool, paths moved into the scratch copy. */
function renderMainConfig(directory: string): string {
  return `# Written by ops/bench/radius/freeradius.ts: stock values, paths in a scratch directory.
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = ${directory}/var
sbindir = \${exec_prefix}/sbin
logdir = ${directory}/log
raddbdir = ${directory}
radacctdir = \${logdir}/radacct
name = freeradius
confdir = \${raddbdir}
modconfdir = \${confdir}/mods-config
certdir = \${confdir}/certs
cadir = \${confdir}/certs
run_dir = ${directory}/run
db_dir = \${raddbdir}
libdir = /usr/lib/freeradius
pidfile = \${run_dir}/\${name}.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 16384
hostname_lookups = no
log {
\tdestination = stdout
\tcolourise = no
\tauth = no
\tauth_badpass = no
\tauth_goodpass = no
}
security {
\tallow_core_dumps = no
\tmax_attributes = 200
\treject_delay = 1
\tstatus_server = yes
}
proxy_requests = no
$INCLUDE clients.conf
thread pool {
\tstart_servers = 5
\tmax_servers = 32
\tmin_spare_servers = 3
\tmax_spare_servers = 10
\tmax_requests_per_server = 0
\tauto_limit_acct = no
}
modules {
\t$INCLUDE mods-enabled/
}
instantiate {
}
policy {
\t$INCLUDE policy.d/
}
$INCLUDE sites-enabled/
`;
}

function renderSite(options: FreeRadiusOptions): string {
  return `# Minimal default server for the benchmark: users file + PAP/CHAP/MS-CHAP, accounting to the detail file.
server default {
listen {
\ttype = auth
\tipaddr = ${options.host}
\tport = ${options.authPort}
}
listen {
\ttype = acct
\tipaddr = ${options.host}
\tport = ${options.acctPort}
}
authorize {
\tfiles
\tpap
\tchap
\tmschap
}
authenticate {
\tAuth-Type PAP {
\t\tpap
\t}
\tAuth-Type CHAP {
\t\tchap
\t}
\tAuth-Type MS-CHAP {
\t\tmschap
\t}
}
preacct {
}
accounting {
\tdetail
}
post-auth {
}
}
`;
}

function renderClients(options: FreeRadiusOptions): string {
  return `client bench {
\tipaddr = ${options.host}
\tproto = udp
\tsecret = ${quote(options.secret)}
\trequire_message_authenticator = no
}
`;
}

/** Copies the installed configuration to a scratch directory and rewrites what the benchmark needs. */
export function buildFreeRadiusConfig(options: FreeRadiusOptions): string {
  const directory = mkdtempSync(join(tmpdir(), 'kiunga-bench-freeradius-'));
  cpSync(FREERADIUS_CONFIG_SOURCE, directory, { recursive: true, verbatimSymlinks: true });
  for (const site of readdirSync(join(directory, 'sites-enabled')))
    unlinkSync(join(directory, 'sites-enabled', site));
  for (const module of readdirSync(join(directory, 'mods-enabled'))) {
    if (!(MODULES_ENABLED as readonly string[]).includes(module))
      unlinkSync(join(directory, 'mods-enabled', module));
  }
  writeFileSync(join(directory, 'radiusd.conf'), renderMainConfig(directory));
  writeFileSync(join(directory, 'clients.conf'), renderClients(options));
  writeFileSync(join(directory, 'sites-enabled', 'default'), renderSite(options));
  writeFileSync(
    join(directory, 'mods-config', 'files', 'authorize'),
    renderUsersFile(options.users, options.reply),
  );
  for (const folder of ['var', 'log', 'run']) mkdirSync(join(directory, folder), { recursive: true });
  return directory;
}

function waitForReady(child: ChildProcess, logs: { text: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      finish(new Error(`FreeRADIUS did not start within ${STARTUP_TIMEOUT_MS} ms:\n${logs.text}`));
    }, STARTUP_TIMEOUT_MS);
    const onOutput = (chunk: Buffer): void => {
      logs.text = (logs.text + chunk.toString('utf8')).slice(-LOG_CHARACTERS_MAX);
      if (logs.text.includes('Ready to process requests')) finish(undefined);
    };
    const onExit = (code: number | null): void => {
      finish(new Error(`FreeRADIUS exited with code ${code} while starting:\n${logs.text}`));
    };
    function finish(error: Error | undefined): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts `freeradius -f` (foreground, not debug) and resolves once it logs that it is ready. */
export async function startFreeRadius(options: FreeRadiusOptions): Promise<FreeRadiusServer> {
  const configDirectory = buildFreeRadiusConfig(options);
  const child = spawn('freeradius', ['-f', '-d', configDirectory, '-l', 'stdout'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = { text: '' };
  try {
    await waitForReady(child, logs);
  } catch (error) {
    await stopChild(child);
    rmSync(configDirectory, { recursive: true, force: true });
    throw error;
  }
  if (child.pid === undefined) throw new Error('FreeRADIUS started without a pid');
  // Keep draining output so a full pipe never blocks the server during the run.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    pid: child.pid,
    host: options.host,
    authPort: options.authPort,
    acctPort: options.acctPort,
    secret: options.secret,
    configDirectory,
    stop: async () => {
      await stopChild(child);
      rmSync(configDirectory, { recursive: true, force: true });
    },
  };
}
