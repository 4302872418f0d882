// Support chat in real headless Chromium (issue 14): an ISP owner opens a conversation from the ISP
// console, platform support sees it appear in its queue without a reload, replies from the thread, and
// the reply appears on the ISP's open thread without a reload (the support WebSockets, one per side).
/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { signIn, useBrowserSuite } from './support/browser';

const suite = useBrowserSuite();
/** A live change shows after the feed's next poll (1 s) and one page read; a loaded machine is slower. */
const LIVE_TIMEOUT_MS = 15_000;

/** Waits for the page's support socket to be open, then marks the document to show it was never reloaded. */
async function whenLive(page: import('playwright-core').Page): Promise<void> {
  await page.waitForSelector('[data-support-live][data-support-connected]', {
    state: 'attached',
    timeout: LIVE_TIMEOUT_MS,
  });
  await page.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });
}

async function isSamePage(page: import('playwright-core').Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);
}

describe('support chat in a browser', () => {
  it('the queue and the thread update live on both sides', async () => {
    const tenant = suite.demo.tenants[0]!;
    const support = await suite.openPhonePage();
    await signIn(support.page, suite.demo.superAdmin.email, suite.demo.superAdmin.password);
    await support.page.goto('/platform/support');
    await whenLive(support.page);

    const isp = await suite.openPhonePage();
    await signIn(isp.page, tenant.owner.email, tenant.owner.password);
    await isp.page.goto('/isp/support');
    await isp.page.fill('#subject', 'STK push failing');
    await isp.page.fill('#message', 'Customers get no M-Pesa prompt since noon.');
    await Promise.all([
      isp.page.waitForURL('**/isp/support/spc_*'),
      isp.page.click('#new-conversation button'),
    ]);
    const id = isp.page.url().split('/').pop() ?? '';
    expect(id).toMatch(/^spc_/);
    expect(await isp.page.textContent('[data-support-region="thread"]')).toContain(
      'Customers get no M-Pesa prompt',
    );
    await whenLive(isp.page);

    // Support's queue shows it without a reload.
    const row = support.page.locator(`tr[data-conversation-id="${id}"]`);
    await row.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await row.textContent()).toContain('STK push failing');
    expect(await isSamePage(support.page)).toBe(true);

    await Promise.all([support.page.waitForURL(`**/platform/support/${id}`), row.locator('a').click()]);
    await support.page.fill('#reply-body', 'We see it too: Safaricom is fixing it.');
    await Promise.all([
      support.page.waitForURL(`**/platform/support/${id}`),
      support.page.click('#reply-form button[type=submit]'),
    ]);
    expect(await support.page.textContent('[data-support-region="thread"]')).toContain(
      'Safaricom is fixing it',
    );

    // The ISP's open thread shows the reply without a reload.
    const reply = isp.page.locator('article[data-side="platform"]');
    await reply.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await reply.textContent()).toContain('We see it too: Safaricom is fixing it.');
    expect(await isSamePage(isp.page)).toBe(true);
  });
});
