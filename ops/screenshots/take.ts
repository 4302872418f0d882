// Takes the README's screenshots from a running demo with headless Chromium:
//   node --import tsx ops/screenshots/take.ts --base-url http://127.0.0.1:8080 --demo-json data/demo.json
//     [--out docs/screenshots] [--radius-auth-port 1812 --radius-acct-port 1813]
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { DemoJson } from '@kiunga/ops';
import { chromium } from 'playwright-core';
import { startDemoSession } from './live-session';
import { shotsFor, takeShots } from './shots';

const CHROMIUM_PATH = '/usr/bin/chromium';
/** The switches the browser tests use (tests/support/browser.ts): headless, no sandbox as root, no GPU, quiet. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const DEFAULT_OUT_DIR = 'docs/screenshots';

export interface ScreenshotArguments {
  readonly baseUrl: string;
  readonly demoJsonPath: string;
  readonly outDir: string;
  /** Both set: a voucher is logged in first, so the Live page shows a session. */
  readonly radius: { readonly host: string; readonly authPort: number; readonly acctPort: number } | null;
}

function portOf(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`${flag} must be a port number (1-65535)`);
  return port;
}

export function parseScreenshotArguments(argv: readonly string[]): ScreenshotArguments {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'base-url': { type: 'string' },
      'demo-json': { type: 'string' },
      out: { type: 'string', default: DEFAULT_OUT_DIR },
      'radius-host': { type: 'string', default: '127.0.0.1' },
      'radius-auth-port': { type: 'string' },
      'radius-acct-port': { type: 'string' },
    },
  });
  const baseUrl = values['base-url'];
  if (!baseUrl || !/^https?:\/\/[^/]+\/?$/.test(baseUrl))
    throw new Error('--base-url must be like http://127.0.0.1:8080');
  if (!values['demo-json'])
    throw new Error('--demo-json is required (the demo data directory has demo.json)');
  const authPort = portOf(values['radius-auth-port'], '--radius-auth-port');
  const acctPort = portOf(values['radius-acct-port'], '--radius-acct-port');
  if ((authPort === undefined) !== (acctPort === undefined)) {
    throw new Error('--radius-auth-port and --radius-acct-port go together');
  }
  return {
    baseUrl: baseUrl.replace(/\/$/, ''),
    demoJsonPath: resolve(values['demo-json']),
    outDir: resolve(values.out),
    radius:
      authPort !== undefined && acctPort !== undefined
        ? { host: values['radius-host'], authPort, acctPort }
        : null,
  };
}

async function main(): Promise<void> {
  const startedMs = performance.now();
  const options = parseScreenshotArguments(process.argv.slice(2));
  const demo = JSON.parse(readFileSync(options.demoJsonPath, 'utf8')) as DemoJson;
  const isp = demo.tenants[0];
  const voucher = isp?.vouchers[isp.vouchers.length - 1];
  const nas = isp?.nas[0];
  if (options.radius && voucher && nas) {
    const problem = await startDemoSession({
      radiusHost: options.radius.host,
      authPort: options.radius.authPort,
      acctPort: options.radius.acctPort,
      secret: nas.secret,
      voucherCode: voucher.code,
    });
    if (problem) process.stderr.write(`No live session for the screenshot: ${problem}\n`);
  }
  mkdirSync(options.outDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const results = await takeShots(browser, options.baseUrl, shotsFor(demo), options.outDir);
    for (const result of results) {
      process.stdout.write(
        `${result.file.padEnd(28)} ${String(result.durationMs).padStart(6)} ms  ${result.what}\n`,
      );
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(`${Math.round(performance.now() - startedMs)} ms in all; PNGs in ${options.outDir}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
