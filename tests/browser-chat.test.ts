/// <reference lib="dom" />
// Client ↔ ISP chat in real headless Chromium against the real ./kiunga: a subscriber types on the
// customer portal and a hotspot client (after proving a voucher) on the captive portal; each message
// appears in the ISP's open inbox without a reload, the ISP replies from the conversation page, and the
// reply appears on the client's open page without a reload; a client message arriving live on the
// staff's open conversation page is counted read (the inbox shows 0 unread) without a reload.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useBrowserSuite } from './support/browser';

/** How long a message may take to cross: the feed answers at once on one node; a loaded machine is slower. */
const LIVE_TIMEOUT_MS = 15_000;

const suite = useBrowserSuite();
const tenant = () => suite.demo.tenants[0]!;

/** Marks the page so a later check can tell it was never reloaded or left. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { chatMark: string }).chatMark = 'still here';
  });
}

async function isSamePage(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { chatMark?: string }).chatMark === 'still here');
}

async function openStaffInbox(): Promise<Page> {
  const { page } = await suite.openPhonePage();
  await signIn(page, tenant().owner.email, tenant().owner.password);
  await page.goto('/isp/chat');
  await page.waitForSelector('#chat-inbox[data-connected]', { state: 'attached', timeout: LIVE_TIMEOUT_MS });
  await markPage(page);
  return page;
}

/** Types and sends a message on a client's chat page (a form post: the sender's page reloads). */
async function sendFromClient(page: Page, text: string): Promise<void> {
  await page.fill('form[action$="/chat/messages"] textarea[name=body]', text);
  await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/chat/messages"] button')]);
  await page.waitForSelector(`#chat-messages li.client:has-text("${text}")`);
  await page.waitForSelector('#chat-messages[data-connected]', {
    state: 'attached',
    timeout: LIVE_TIMEOUT_MS,
  });
  await markPage(page);
}

/** From the inbox row of `label`, opens the conversation and replies; the client's page must show it live. */
async function replyFromConsole(staff: Page, label: string, reply: string): Promise<void> {
  await staff.click(`#chat-inbox tr:has-text("${label}") a`);
  await staff.waitForSelector('#chat-messages[data-connected]', {
    state: 'attached',
    timeout: LIVE_TIMEOUT_MS,
  });
  await staff.fill('form[action$="/messages"] textarea[name=body]', reply);
  await Promise.all([staff.waitForLoadState('load'), staff.click('form[action$="/messages"] button')]);
  await staff.waitForSelector(`#chat-messages li.staff:has-text("${reply}")`);
}

describe('client ↔ ISP chat in a browser', () => {
  it('a subscriber’s message reaches the open inbox live, and the reply reaches the subscriber live', async () => {
    const staff = await openStaffInbox();
    const subscriber = tenant().subscribers[0]!;
    const { page: client } = await suite.openPhonePage();
    await client.goto(`/account/${tenant().slug}/login`);
    await client.fill('input[name=login]', subscriber.username);
    await client.fill('input[name=password]', subscriber.password);
    await Promise.all([
      client.waitForURL(/\/account\/[^/]+$/),
      client.click('form[action$="/login"] button'),
    ]);
    await client.click('nav >> text=Chat');
    await client.waitForSelector('#chat-messages[data-connected]', {
      state: 'attached',
      timeout: LIVE_TIMEOUT_MS,
    });

    await sendFromClient(client, 'My connection drops every evening');
    const row = await staff.waitForSelector(`#chat-inbox tr:has-text("${subscriber.username}")`, {
      timeout: LIVE_TIMEOUT_MS,
    });
    expect(await row.textContent()).toContain('My connection drops every evening');
    expect(await isSamePage(staff)).toBe(true);

    await replyFromConsole(staff, subscriber.username, 'We will check the tower tonight');
    await client.waitForSelector('#chat-messages li.staff:has-text("We will check the tower tonight")', {
      timeout: LIVE_TIMEOUT_MS,
    });
    expect(await isSamePage(client)).toBe(true);

    // The staff's conversation page stays open: the next client message shows there live and is read.
    await markPage(staff);
    await sendFromClient(client, 'Thank you, it is back now');
    const shown = await staff.waitForSelector(
      '#chat-messages li.client:has-text("Thank you, it is back now")',
      {
        timeout: LIVE_TIMEOUT_MS,
      },
    );
    const shownId = await shown.getAttribute('data-id');
    await staff.waitForSelector(`#chat-messages[data-read-up-to="${shownId}"]`, {
      state: 'attached',
      timeout: LIVE_TIMEOUT_MS,
    });
    expect(await isSamePage(staff)).toBe(true);
    const inbox = await staff.context().newPage();
    await inbox.goto('/isp/chat');
    const unreadCell = await inbox.waitForSelector(
      `#chat-inbox tr:has-text("${subscriber.username}") td:nth-child(2)`,
    );
    expect(await unreadCell.textContent()).toBe('0');
  });

  it('a hotspot client proves a voucher on the captive portal; messages go both ways live', async () => {
    const staff = await openStaffInbox();
    const voucher = tenant().vouchers[0]!;
    const { page: client } = await suite.openPhonePage();
    await client.goto(`/portal/${tenant().slug}/chat`);
    await client.fill('form[action$="/chat/voucher"] input[name=code]', voucher.code);
    await Promise.all([
      client.waitForLoadState('load'),
      client.click('form[action$="/chat/voucher"] button'),
    ]);
    await client.waitForSelector('#chat-messages[data-connected]', {
      state: 'attached',
      timeout: LIVE_TIMEOUT_MS,
    });

    await sendFromClient(client, 'The voucher says it is already used');
    const label = `Voucher ${voucher.code}`;
    const row = await staff.waitForSelector(`#chat-inbox tr:has-text("${label}")`, {
      timeout: LIVE_TIMEOUT_MS,
    });
    expect(await row.textContent()).toContain('The voucher says it is already used');
    expect(await isSamePage(staff)).toBe(true);

    await replyFromConsole(staff, label, 'Try it on one phone only');
    await client.waitForSelector('#chat-messages li.staff:has-text("Try it on one phone only")', {
      timeout: LIVE_TIMEOUT_MS,
    });
    expect(await isSamePage(client)).toBe(true);
  });
});
