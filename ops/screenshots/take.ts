// Takes the README's screenshots with headless Chromium from a demo of its own (seeded in a scratch data
// dir, started on free loopback ports, stopped after):
//   node --import tsx ops/screenshots/take.ts [--out docs/screenshots]
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { createScreenshotAccounts } from './demo-accounts';
import { startDemoSession } from './live-session';
import { startScratchDemo } from './scratch-demo';
import { shotsFor, takeShots } from './shots';

const CHROMIUM_PATH = '/usr/bin/chromium';
/** The switches the browser tests use (tests/support/browser.ts): headless, no sandbox as root, no GPU, quiet. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const DEFAULT_OUT_DIR = 'docs/screenshots';

export interface ScreenshotArguments {
  readonly outDir: string;
}

export function parseScreenshotArguments(argv: readonly string[]): ScreenshotArguments {
  const { values } = parseArgs({
    args: [...argv],
    options: { out: { type: 'string', default: DEFAULT_OUT_DIR } },
  });
  return { outDir: resolve(values.out) };
}

async function main(): Promise<void> {
  const startedMs = performance.now();
  const options = parseScreenshotArguments(process.argv.slice(2));
  const scratch = await startScratchDemo();
  try {
    const isp = scratch.demo.tenants[0];
    if (!isp) throw new Error('the demo has no ISP');
    const accounts = await createScreenshotAccounts(scratch.baseUrl, isp);
    const voucher = isp.vouchers[isp.vouchers.length - 1];
    const nas = isp.nas[0];
    if (voucher && nas) {
      const problem = await startDemoSession({
        radiusHost: '127.0.0.1',
        authPort: scratch.authPort,
        acctPort: scratch.acctPort,
        secret: nas.secret,
        voucherCode: voucher.code,
      });
      if (problem) process.stderr.write(`No live session for the screenshot: ${problem}\n`);
    }
    mkdirSync(options.outDir, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const results = await takeShots(
        browser,
        scratch.baseUrl,
        shotsFor(scratch.demo, accounts),
        options.outDir,
      );
      for (const result of results) {
        process.stdout.write(
          `${result.file.padEnd(30)} ${String(result.durationMs).padStart(6)} ms  ${result.what}\n`,
        );
      }
    } finally {
      await browser.close();
    }
  } finally {
    await scratch.stop();
  }
  process.stdout.write(`${Math.round(performance.now() - startedMs)} ms in all; PNGs in ${options.outDir}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
