// The README's screenshots: which pages, as whom, on which screen; each saved as a PNG.
import { join } from 'node:path';
import type { DemoJson } from '@kiunga/ops';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** A laptop for the consoles, a common small Android phone for what clients use (tests/support/browser.ts). */
export const DESKTOP_VIEWPORT = { width: 1280, height: 800 };
export const PHONE_VIEWPORT = { width: 360, height: 740 };
/** One page load or sign-in; the demo answers in well under a second, a loaded machine in a few. */
const NAVIGATION_TIMEOUT_MS = 30_000;

type Account =
  | { kind: 'console'; email: string; password: string }
  | { kind: 'customer'; login: string; password: string };

export interface Shot {
  readonly file: string;
  readonly what: string;
  readonly viewport: { width: number; height: number };
  readonly path: string;
  readonly signIn?: Account;
}

/** The pages issue 15 asks for, from the demo's first ISP and its super admin. */
export function shotsFor(demo: DemoJson): Shot[] {
  const isp = demo.tenants[0];
  if (!isp) throw new Error('the demo JSON has no ISP');
  const subscriber = isp.subscribers.find((candidate) => candidate.status === 'active') ?? isp.subscribers[0];
  if (!subscriber) throw new Error(`the demo ISP ${isp.slug} has no subscriber`);
  const owner: Account = { kind: 'console', ...isp.owner };
  const shots: Shot[] = [
    { file: 'login.png', what: 'sign-in page', viewport: DESKTOP_VIEWPORT, path: '/login' },
    {
      file: 'isp-dashboard.png',
      what: 'ISP console dashboard',
      viewport: DESKTOP_VIEWPORT,
      path: '/isp',
      signIn: owner,
    },
    {
      file: 'isp-vouchers.png',
      what: 'ISP console vouchers',
      viewport: DESKTOP_VIEWPORT,
      path: '/isp/vouchers',
      signIn: owner,
    },
    {
      file: 'isp-live-sessions.png',
      what: 'ISP console live sessions',
      viewport: DESKTOP_VIEWPORT,
      path: '/isp/sessions',
      signIn: owner,
    },
    {
      file: 'captive-portal-phone.png',
      what: 'captive portal on a phone',
      viewport: PHONE_VIEWPORT,
      path: `/portal/${isp.slug}`,
    },
    {
      file: 'customer-portal-phone.png',
      what: 'customer self-service on a phone',
      viewport: PHONE_VIEWPORT,
      path: `/account/${isp.slug}`,
      signIn: { kind: 'customer', login: subscriber.username, password: subscriber.password },
    },
    {
      file: 'platform-console.png',
      what: 'platform console',
      viewport: DESKTOP_VIEWPORT,
      path: '/platform',
      signIn: { kind: 'console', ...demo.superAdmin },
    },
  ];
  return shots;
}

async function submitAndWait(page: Page, fromPath: string): Promise<void> {
  await Promise.all([
    page.waitForURL((url) => url.pathname !== fromPath, { timeout: NAVIGATION_TIMEOUT_MS }),
    page.click('button[type=submit]'),
  ]);
}

/** Signs in through the page a person would use; a landing on "choose your password" is an error. */
async function signIn(page: Page, shot: Shot, account: Account): Promise<void> {
  if (account.kind === 'console') {
    await page.goto('/login');
    await page.fill('input[name=email]', account.email);
    await page.fill('input[name=password]', account.password);
    await submitAndWait(page, '/login');
    if (new URL(page.url()).pathname === '/password')
      throw new Error(`${account.email} must change its password first`);
    return;
  }
  await page.goto(shot.path);
  await page.fill('input[name=login]', account.login);
  await page.fill('input[name=password]', account.password);
  await submitAndWait(page, `${shot.path}/login`);
}

export interface ShotResult {
  readonly file: string;
  readonly what: string;
  readonly durationMs: number;
}

/** Takes every shot in its own browser context (no cookie carries over), in order; returns the timings. */
export async function takeShots(
  browser: Browser,
  baseUrl: string,
  shots: readonly Shot[],
  outDir: string,
): Promise<ShotResult[]> {
  const results: ShotResult[] = [];
  for (const shot of shots) {
    const startedMs = performance.now();
    const context: BrowserContext = await browser.newContext({
      baseURL: baseUrl,
      viewport: shot.viewport,
      deviceScaleFactor: 1,
    });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(NAVIGATION_TIMEOUT_MS);
      if (shot.signIn) await signIn(page, shot, shot.signIn);
      if (new URL(page.url()).pathname !== shot.path) await page.goto(shot.path);
      await page.waitForLoadState('load');
      await page.screenshot({ path: join(outDir, shot.file) });
    } finally {
      await context.close();
    }
    results.push({ file: shot.file, what: shot.what, durationMs: Math.round(performance.now() - startedMs) });
  }
  return results;
}
