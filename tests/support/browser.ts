// Real headless Chromium (Debian's) driven by playwright-core, for the console browser tests.
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** A common small Android phone: the consoles must be usable at this width. */
export const PHONE_VIEWPORT = { width: 360, height: 740 };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
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
