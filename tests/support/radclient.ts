// Drives FreeRADIUS's radclient (an independent RADIUS implementation) and parses what it printed.
import { spawn } from 'node:child_process';

export interface RadclientReply {
  /** e.g. 'Access-Accept', 'Access-Reject', 'Accounting-Response'; null when nothing came back. */
  code: string | null;
  attributes: Record<string, string>;
  output: string;
}

export interface RadclientRequest {
  server: string;
  command: 'auth' | 'acct' | 'status';
  secret: string;
  attributes: Record<string, string | number>;
  /**
   * Seconds per try (default 5, with 2 retries: a loaded CI machine must not turn a slow answer
   * into a failure); tests that expect silence pass a short timeout.
   */
  timeoutSeconds?: number;
  retries?: number;
}

function formatValue(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return value.startsWith('0x') ? value : `"${value}"`;
}

/**
 * Runs radclient. A run that never sent a packet (a usage error, say) is a broken test, not the
 * server's silence, so it throws with radclient's own words instead of returning "no reply".
 */
export async function radclient(request: RadclientRequest): Promise<RadclientReply> {
  const reply = await runRadclient(request);
  if (!/^Sent /m.test(reply.output)) throw new Error(`radclient sent nothing:\n${reply.output}`);
  return reply;
}

function runRadclient(request: RadclientRequest): Promise<RadclientReply> {
  const input = Object.entries(request.attributes)
    .map(([name, value]) => `${name} = ${formatValue(value)}`)
    .join('\n');
  const args = [
    '-x',
    '-r',
    String(request.retries ?? 2),
    '-t',
    String(request.timeoutSeconds ?? 5),
    // Positional arguments after '--': a secret that starts with '-' must not be read as options.
    '--',
    request.server,
    request.command,
    request.secret,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('radclient', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    // Replies are read from stdout alone: a stderr line landing mid-line must not hide them.
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.stdin.on('error', () => {});
    child.on('close', (exitCode) => {
      resolve({ ...parseReply(stdout), output: `${stdout}${stderr}(radclient exit ${exitCode})` });
    });
    child.stdin.end(`${input}\n`);
  });
}

function parseReply(output: string): RadclientReply {
  const lines = output.split('\n');
  const receivedIndex = lines.findIndex((line) => line.startsWith('Received '));
  if (receivedIndex < 0) return { code: null, attributes: {}, output };
  const code = /^Received (\S+)/.exec(lines[receivedIndex] ?? '')?.[1] ?? null;
  const attributes: Record<string, string> = {};
  for (const line of lines.slice(receivedIndex + 1)) {
    const match = /^\t(\S+) = (.*)$/.exec(line);
    if (!match) break;
    attributes[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1');
  }
  return { code, attributes, output };
}
