// Debian's real snmpd for tests and the demo: its own snmpd.conf with a test community, a free 127.0.0.1 UDP port.
//
// Issue 12 asks for the real agent, not a stand-in: net-snmp answers SNMPv2-MIB, HOST-RESOURCES-MIB and
// IF-MIB from this machine, and `overrides` (snmpd.conf "override", see snmpd.conf(5), section "MIB-Specific
// Extension Commands") pin values a test needs to know, such as a MikroTik-like `<pppoe-alice>` interface.
// snmpd runs as the invoking user, or drops to nobody when that is root; it runs under a small shell
// that kills it when our end of its stdin closes, so it stops when the test file (or its process) ends.
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const LOOPBACK_HOST = '127.0.0.1';
/** net-snmp prints its version once the listening socket is open; 15 s covers a loaded machine. */
const READY_WAIT_MS = 15_000;
/** Another process may take the free port between our look and snmpd's bind: try a few. */
const START_ATTEMPTS_MAX = 5;
const STOP_WAIT_MS = 5_000;
/** What snmpd says when it cannot bind, so another port is tried. */
const BIND_FAILURE_PATTERN = /Error opening specified endpoint/;
const READY_PATTERN = /NET-SNMP version/;
/** Debian installs snmpd in /usr/sbin, which is not on every user's PATH. */
const SNMPD_PATHS = ['/usr/sbin/snmpd', '/usr/local/sbin/snmpd'];

/** snmpd.conf "override" types (snmpd.conf(5)); net-snmp has none for Counter64 or TimeTicks. */
export type SnmpOverrideType = 'integer' | 'uinteger' | 'octet_str' | 'object_id' | 'counter';

export interface SnmpOverride {
  /** Numeric, dotted: ".1.3.6.1.2.1.31.1.1.1.1.8388611". */
  readonly oid: string;
  readonly type: SnmpOverrideType;
  readonly value: string | number;
}

export interface SnmpAgentOptions {
  readonly community: string;
  /** 0 (the default): a free port. */
  readonly port?: number;
  readonly overrides?: readonly SnmpOverride[];
}

export interface SnmpAgent {
  readonly host: string;
  readonly port: number;
  readonly community: string;
  /**
   * Makes the router fall silent without giving up its port (SIGSTOP): polls time out. Stopping the
   * agent instead frees the port, and another test running beside may bind it and answer.
   */
  silence(): Promise<void>;
  /** Lets a silenced agent answer again (SIGCONT). */
  resume(): Promise<void>;
  /** Stops snmpd and removes its directory. */
  stop(): Promise<void>;
}

export async function startSnmpAgent(options: SnmpAgentOptions): Promise<SnmpAgent> {
  assertConfigurable(options);
  const directory = await mkdtemp(join(tmpdir(), 'kiunga-snmpd-'));
  await mkdir(join(directory, 'persistent'));
  const configPath = join(directory, 'snmpd.conf');
  await writeFile(configPath, renderConfig(options));
  for (let attempt = 1; ; attempt++) {
    const port = options.port && options.port > 0 ? options.port : await findFreeUdpPort();
    try {
      const child = await spawnSnmpd(directory, configPath, port);
      return {
        host: LOOPBACK_HOST,
        port,
        community: options.community,
        silence: () => signalSnmpd(join(directory, 'snmpd.pid'), 'SIGSTOP'),
        resume: () => signalSnmpd(join(directory, 'snmpd.pid'), 'SIGCONT'),
        async stop() {
          // A silenced snmpd handles no signal but SIGKILL until it runs again.
          await signalSnmpd(join(directory, 'snmpd.pid'), 'SIGCONT').catch(() => {});
          await stopSnmpd(child, join(directory, 'snmpd.pid'));
          await rm(directory, { recursive: true, force: true });
        },
      };
    } catch (error) {
      const isPortTaken = error instanceof Error && BIND_FAILURE_PATTERN.test(error.message);
      if (!isPortTaken || attempt >= START_ATTEMPTS_MAX || options.port) {
        await rm(directory, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

function assertConfigurable(options: SnmpAgentOptions): void {
  // A community or value with spaces, quotes or line breaks would change the meaning of snmpd.conf.
  if (!/^[\x21-\x7e]+$/.test(options.community) || options.community.includes('"')) {
    throw new Error('community: printable ASCII without spaces or quotes');
  }
  for (const override of options.overrides ?? []) {
    if (!/^(\.\d+)+$/.test(override.oid)) throw new Error(`override OID ${override.oid} is not numeric`);
    if (/["\r\n\\]/.test(String(override.value)))
      throw new Error(`override value of ${override.oid} has quotes or line breaks`);
  }
}

function renderConfig(options: SnmpAgentOptions): string {
  const lines = [
    `rocommunity ${options.community} ${LOOPBACK_HOST}`,
    'sysName kiunga-test-nas',
    'sysLocation Kiunga test harness',
    'dontLogTCPWrappersConnects yes',
    ...(options.overrides ?? []).map((override) => {
      const value = override.type === 'octet_str' ? `"${override.value}"` : String(override.value);
      return `override ${override.oid} ${override.type} ${value}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

function snmpdPath(): string {
  return SNMPD_PATHS.find((path) => existsSync(path)) ?? 'snmpd';
}

async function spawnSnmpd(directory: string, configPath: string, port: number): Promise<ChildProcess> {
  const isRoot = process.getuid?.() === 0;
  const snmpdArguments = [
    '-f', // foreground, so the shell below can wait for it
    '-Le', // log to stderr, where readiness and errors are read
    '-C', // no configuration but ours: Debian's /etc/snmp/snmpd.conf is not read
    '-I',
    '-smux', // no SMUX listener on TCP 199
    '-c',
    configPath,
    '-p',
    join(directory, 'snmpd.pid'),
    ...(isRoot ? ['-u', 'nobody', '-g', 'nogroup'] : []),
    `udp:${LOOPBACK_HOST}:${port}`,
  ];
  // The shell kills snmpd when its stdin reaches end of file: our stop(), or this process dying.
  const script =
    'snmpd="$1"; shift; "$snmpd" "$@" & child=$!; read -r _; kill "$child" 2>/dev/null; wait "$child"';
  const child = spawn('/bin/sh', ['-c', script, 'sh', snmpdPath(), ...snmpdArguments], {
    stdio: ['pipe', 'ignore', 'pipe'],
    // MIBS empty: snmpd answers by number and needs no MIB files (Debian ships few of them).
    env: { ...process.env, MIBS: '', SNMP_PERSISTENT_DIR: join(directory, 'persistent') },
  });
  await waitUntilReady(child);
  return child;
}

function waitUntilReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(`snmpd did not start within ${READY_WAIT_MS} ms: ${output}`),
      READY_WAIT_MS,
    );
    const fail = (message: string): void => {
      clearTimeout(timer);
      child.stdin?.end();
      reject(new Error(message));
    };
    const readStartup = (chunk: Buffer): void => {
      output += chunk.toString();
      if (BIND_FAILURE_PATTERN.test(output)) fail(output);
      else if (READY_PATTERN.test(output)) {
        clearTimeout(timer);
        // Later log lines are drained and dropped: a full pipe would stall snmpd.
        child.stderr?.off('data', readStartup);
        child.stderr?.on('data', () => {});
        resolve();
      }
    };
    child.stderr?.on('data', readStartup);
    child.once('exit', (code) => {
      const hint = code === 127 ? ' (install it: apt-get install snmpd)' : '';
      fail(`snmpd exited with ${code}${hint}: ${output}`);
    });
  });
}

async function signalSnmpd(pidPath: string, signal: 'SIGSTOP' | 'SIGCONT'): Promise<void> {
  const pid = Number.parseInt(await readFile(pidPath, 'utf8'), 10);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`snmpd wrote no pid to ${pidPath}`);
  process.kill(pid, signal);
}

async function stopSnmpd(child: ChildProcess, pidPath: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  const outcome = await Promise.race([exited.then(() => 'exited'), delay(STOP_WAIT_MS, 'timeout')]);
  if (outcome === 'exited') return;
  const pid = Number.parseInt(await readFile(pidPath, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGKILL');
  child.kill('SIGKILL');
  await exited;
}

function findFreeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, LOOPBACK_HOST, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
