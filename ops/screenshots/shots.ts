// The README's screenshots: which pages, as whom, on which screen; each saved as a PNG.
import { join } from 'node:path';
import type { DemoJson } from '@kiunga/ops';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ScreenshotAccounts } from './demo-accounts';

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

/** The pages issue 15 asks for: the first demo ISP's consoles and portals, and the platform's. */
export function shotsFor(demo: DemoJson, accounts: ScreenshotAccounts): Shot[] {
  const isp = demo.tenants[0];
  if (!isp) throw new Error('the demo JSON has no ISP');
  const subscriber = isp.subscribers.find((candidate) => candidate.status === 'active') ?? isp.subscribers[0];
  if (!subscriber) throw new Error(`the demo ISP ${isp.slug} has no subscriber`);
  const nas = isp.nas[0];
  if (!nas) throw new Error(`the demo ISP ${isp.slug} has no router`);
  const owner: Account = { kind: 'console', ...isp.owner };
  const superAdmin: Account = { kind: 'console', ...demo.superAdmin };
  const ispShot = (file: string, what: string, path: string): Shot => ({
    file,
    what,
    viewport: DESKTOP_VIEWPORT,
    path,
    signIn: owner,
  });
  const platformShot = (file: string, what: string, path: string): Shot => ({
    file,
    what,
    viewport: DESKTOP_VIEWPORT,
    path,
    signIn: superAdmin,
  });
  return [
    ispShot('isp-dashboard.png', 'ISP console dashboard', '/isp'),
    ispShot('isp-live.png', 'ISP console Live page (live sessions)', '/isp/sessions'),
    ispShot('isp-subscriber.png', 'a subscriber in the ISP console', `/isp/subscribers/${subscriber.id}`),
    ispShot('isp-router-health.png', 'router health', `/isp/nas/${nas.id}/health`),
    ispShot('isp-reports.png', 'Reports page', '/isp/reports'),
    platformShot('platform-dashboard.png', 'platform console dashboard', '/platform'),
    platformShot('platform-live.png', 'platform console Live page', '/platform/live'),
    platformShot('platform-analytics.png', 'platform console Analytics', '/platform/analytics'),
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
      file: 'technician-panel-phone.png',
      what: 'technician panel on a phone',
      viewport: PHONE_VIEWPORT,
      path: '/tech',
      signIn: { kind: 'console', ...accounts.technician },
    },
    {
      file: 'reseller-console-phone.png',
      what: 'reseller console on a phone',
      viewport: PHONE_VIEWPORT,
      path: '/reseller',
      signIn: { kind: 'console', ...accounts.reseller },
    },
  ];
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

/** The key under which one account's signed-in cookies are kept between its shots. */
function accountKeyOf(account: Account): string {
  return account.kind === 'console' ? `console:${account.email}` : `customer:${account.login}`;
}

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/**
 * Takes every shot in its own browser context, in order; an account signs in once through its page and
 * its cookies are handed to its later shots' contexts (nothing carries over between accounts). Returns
 * the timings.
 */
export async function takeShots(
  browser: Browser,
  baseUrl: string,
  shots: readonly Shot[],
  outDir: string,
): Promise<ShotResult[]> {
  const results: ShotResult[] = [];
  const signedIn = new Map<string, StorageState>();
  for (const shot of shots) {
    const startedMs = performance.now();
    const accountKey = shot.signIn ? accountKeyOf(shot.signIn) : null;
    const storageState = accountKey === null ? undefined : signedIn.get(accountKey);
    const context: BrowserContext = await browser.newContext({
      baseURL: baseUrl,
      viewport: shot.viewport,
      deviceScaleFactor: 1,
      ...(storageState ? { storageState } : {}),
    });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(NAVIGATION_TIMEOUT_MS);
      if (shot.signIn && accountKey !== null && !storageState) {
        await signIn(page, shot, shot.signIn);
        signedIn.set(accountKey, await context.storageState());
      }
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
