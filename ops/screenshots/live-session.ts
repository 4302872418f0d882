// Puts one hotspot session on the demo's Live page before it is photographed: the demo NAS logs a
// voucher in and starts accounting, through FreeRADIUS's radclient, as a MikroTik router would.
import { spawn } from 'node:child_process';

/** radclient waits this long per try, twice: a demo on this machine answers in milliseconds. */
const RADCLIENT_TIMEOUT_SECONDS = 3;
const RADCLIENT_RETRIES = 1;

export interface DemoSessionTarget {
  readonly radiusHost: string;
  readonly authPort: number;
  readonly acctPort: number;
  /** The demo NAS's secret; radclient sends from the loopback address the demo registered (127.0.0.1). */
  readonly secret: string;
  readonly voucherCode: string;
}

/** Runs radclient once; resolves with what it printed, rejects when it cannot be run at all. */
function radclient(
  server: string,
  command: 'auth' | 'acct',
  secret: string,
  attributes: string,
): Promise<string> {
  const args = [
    '-x',
    '-r',
    String(RADCLIENT_RETRIES),
    '-t',
    String(RADCLIENT_TIMEOUT_SECONDS),
    '--',
    server,
    command,
    secret,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('radclient', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.stdin.on('error', () => {});
    child.on('close', () => resolve(output));
    child.stdin.end(`${attributes}\n`);
  });
}

/**
 * Logs the voucher in (Access-Request, PAP) and starts its accounting. Returns null on success, else why
 * not (the screenshots are still taken, with an empty Live page).
 */
export async function startDemoSession(target: DemoSessionTarget): Promise<string | null> {
  const mac = '02:00:00:5c:12:34';
  const common = `User-Name = "${target.voucherCode}", NAS-IP-Address = 127.0.0.1, Calling-Station-Id = "${mac}"`;
  try {
    const accept = await radclient(
      `${target.radiusHost}:${target.authPort}`,
      'auth',
      target.secret,
      `${common}, User-Password = "${target.voucherCode}", NAS-Port-Type = Wireless-802.11`,
    );
    if (!/Received Access-Accept/.test(accept)) return `the voucher was not accepted:\n${accept}`;
    const start = await radclient(
      `${target.radiusHost}:${target.acctPort}`,
      'acct',
      target.secret,
      `${common}, Acct-Status-Type = Start, Acct-Session-Id = "screenshot-1", Framed-IP-Address = 10.5.50.23`,
    );
    return /Received Accounting-Response/.test(start) ? null : `accounting was not answered:\n${start}`;
  } catch (error) {
    return `radclient could not run (${error instanceof Error ? error.message : String(error)})`;
  }
}
