// Real headless Chromium (Debian's) driven by playwright-core, and the shared setup of the browser tests.
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import {
  type DemoJson,
  makeDataDir,
  type RunningKiunga,
  removeDataDir,
  seedDemo,
  startKiunga,
} from './kiunga-process';

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** A common small Android phone: the consoles must be usable at this width. */
export const PHONE_VIEWPORT = { width: 360, height: 740 };

/** `extraArgs`: more Chromium switches, e.g. --host-resolver-rules to point test host names at loopback. */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', ...extraArgs],
  });
}

export async function newPhoneContext(browser: Browser, baseUrl: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl, viewport: PHONE_VIEWPORT, deviceScaleFactor: 1 });
}

/** Signs in through the /login form and waits until the console has loaded. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.click('button[type=submit]')]);
}

/**
 * On the "Choose your new password" page (where an account whose password a superior set lands after
 * signing in): types the current and new password, submits, and waits for the console to load.
 */
export async function chooseOwnPassword(
  page: Page,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  expect(new URL(page.url()).pathname).toBe('/password');
  await page.fill('#currentPassword', currentPassword);
  await page.fill('#newPassword', newPassword);
  await page.fill('#repeatPassword', newPassword);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/password'),
    page.click('button:has-text("Change password")'),
  ]);
}

/** Answers the next confirm() dialog with OK (row actions ask before they act). */
export function acceptNextDialog(page: Page): void {
  page.once('dialog', (dialog) => {
    void dialog.accept();
  });
}

/** Text of the flash message shown after an action. */
export async function flashText(page: Page): Promise<string> {
  return (await page.locator('.flash').first().textContent())?.trim() ?? '';
}

export interface BrowserSuiteOptions {
  /** Extra environment for the demo seed (e.g. clockStartEnvironment for date-dependent tests). */
  seedEnvironment?: NodeJS.ProcessEnv;
  /** Runs after the demo is seeded and before ./kiunga starts (e.g. to point a NAS at a simulator). */
  beforeStart?: (dataDir: string, demo: DemoJson) => Promise<void>;
  /** Extra environment for ./kiunga, asked for after beforeStart. */
  environment?: () => NodeJS.ProcessEnv;
  /** Runs after the browser closes and before ./kiunga stops. */
  beforeStop?: () => Promise<void>;
  /** Runs after ./kiunga has stopped. */
  afterStop?: () => Promise<void>;
  /** More Chromium switches (see launchBrowser). */
  browserArgs?: readonly string[];
}

/** What a browser test file shares; filled in by the beforeAll hook that useBrowserSuite registers. */
export interface BrowserSuite {
  dataDir: string;
  demo: DemoJson;
  kiunga: RunningKiunga;
  browser: Browser;
  /** A fresh phone-sized context and page on ./kiunga; closed after the current test. */
  openPhonePage(): Promise<{ context: BrowserContext; page: Page }>;
  /**
   * Stops ./kiunga (a clean exit expected) and starts it again on the same data dir, with the suite's
   * environment and `environment` over it (e.g. a later clock): its start-up jobs run again. It listens
   * on new ports, so pages opened before belong to the old server.
   */
  restart(environment?: NodeJS.ProcessEnv): Promise<void>;
}

/**
 * Registers the hooks every browser test file needs: seed a demo into a scratch data directory,
 * start ./kiunga on it and launch Chromium before all tests; close pages opened with
 * openPhonePage after each test; stop everything and expect a clean exit after all tests.
 */
export function useBrowserSuite(options: BrowserSuiteOptions = {}): BrowserSuite {
  const openContexts: BrowserContext[] = [];
  const suite = {
    async openPhonePage() {
      const context = await newPhoneContext(suite.browser, suite.kiunga.baseUrl);
      openContexts.push(context);
      return { context, page: await context.newPage() };
    },
    async restart(environment = {}) {
      expect(await suite.kiunga.stop()).toBe(0);
      suite.kiunga = await startKiunga(suite.dataDir, { ...options.environment?.(), ...environment });
    },
  } as BrowserSuite;

  beforeAll(async () => {
    suite.dataDir = makeDataDir();
    suite.demo = await seedDemo(suite.dataDir, undefined, options.seedEnvironment);
    await options.beforeStart?.(suite.dataDir, suite.demo);
    suite.kiunga = await startKiunga(suite.dataDir, options.environment?.());
    suite.browser = await launchBrowser(options.browserArgs);
  });

  afterEach(async () => {
    for (const context of openContexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    await suite.browser?.close();
    await options.beforeStop?.();
    const exitCode = await suite.kiunga?.stop();
    if (process.env.KIUNGA_TEST_DEBUG) console.log(suite.kiunga.output());
    await options.afterStop?.();
    removeDataDir(suite.dataDir);
    expect(exitCode).toBe(0);
  });

  return suite;
}
