// "My purchases" on the captive portal (issue 15), in process with a clock the test moves and the SMS
// gateway simulator as the ISP's own account: a hotspot client proves its phone with an M-Pesa receipt or a
// one-time SMS code and sees that phone's vouchers at this ISP with their status and time left; a wrong
// proof reads the same whether or not the phone ever bought here; tries and codes are limited.

import { completePurchase, createPendingPurchase } from '@kiunga/control-api';
import { jsonOf, openTwoIspApp, TEST_HOTSPOT_PLAN, type TwoIspApp } from '@kiunga/control-api/testing';
import { type SmsSimulator, startSmsSimulator } from '@kiunga/ops/sim/sms';
import { cents, type SqlDatabase } from '@kiunga/schemas';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const HOUR_MS = 3_600_000;
const ISP_SMS = { username: 'isp-a-sms', apiKey: 'isp-a-sms-key' };
/** The buyer the tests follow, another buyer at the same ISP, and a number that never bought anything. */
const BUYER = '254712000111';
const OTHER_BUYER = '254712000222';
const STRANGER = '254712000999';

let sms: SmsSimulator;
let testApp: TwoIspApp;
let receiptNumber = 0;
const planIds = new Map<string, string>();

interface Bought {
  code: string;
  receipt: string;
  purchaseId: string;
}

/** A portal purchase paid through M-Pesa, as the STK callback completes it. */
async function paidPurchase(isp: TwoIspApp['ispA'], phone: string): Promise<Bought> {
  const database = isp.database;
  const amount = cents(TEST_HOTSPOT_PLAN.priceCents);
  const purchase = await createPendingPurchase(
    database,
    { planId: planIds.get(isp.tenantId)!, phone, macAddress: null, amount },
    testApp.clock.now(),
  );
  receiptNumber += 1;
  const receipt = `QKM${String(receiptNumber).padStart(7, '0')}`;
  const completion = await completePurchase(
    database,
    purchase,
    { receipt, amount, phone },
    testApp.clock.now(),
  );
  if (completion.kind !== 'paid') throw new Error(`purchase not paid: ${completion.kind}`);
  const { code } = (await database.get<{ code: string }>('SELECT code FROM vouchers WHERE id = ?', [
    completion.voucherId,
  ]))!;
  return { code, receipt, purchaseId: purchase.id };
}

/** The router's first login of a voucher starts its clock (what accounting records). */
async function startUsing(database: SqlDatabase, code: string, atMs: number): Promise<void> {
  await database.run(
    `UPDATE vouchers SET status = 'active', first_used_at = ?, expires_at = ? + validity_seconds * 1000
      WHERE code = ?`,
    [atMs, atMs, code],
  );
}

async function portal(
  slug: string,
  path: string,
  form?: Record<string, string>,
  query = '',
): Promise<Response> {
  return testApp.app.request(`/portal/${slug}${path}${query}`, {
    method: form ? 'POST' : 'GET',
    ...(form
      ? {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        }
      : {}),
  });
}

/** The page's one notice (ok or error paragraph). */
function noticeOf(html: string): string | undefined {
  return /<p class="(?:error|ok)">([^<]*)<\/p>/.exec(html)?.[1];
}

function codeSentTo(phone: string): string {
  const message = sms.messages().findLast((sent) => sent.to === `+${phone}`);
  expect(message?.username).toBe(ISP_SMS.username);
  const code = /^(\d{6}) is your code to see your purchases/.exec(message!.message)?.[1];
  expect(code).toBeDefined();
  return code!;
}

beforeAll(async () => {
  sms = await startSmsSimulator({ port: 0, accounts: [ISP_SMS] });
  testApp = await openTwoIspApp({ prefix: 'mine', dependencies: { smsBaseUrl: sms.baseUrl } });
  // ISP A texts its clients through its own account; ISP B has no SMS set up.
  const put = await testApp.ispA.request('PUT', '/api/v1/settings/sms', { ...ISP_SMS, enabled: true });
  expect(put.status).toBe(200);
  for (const isp of [testApp.ispA, testApp.ispB]) {
    const created = await isp.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN);
    expect(created.status).toBe(201);
    planIds.set(isp.tenantId, (await jsonOf<{ id: string }>(created)).id);
  }
});

afterAll(async () => {
  await testApp?.close();
  await sms?.stop();
});

beforeEach(() => {
  sms.reset();
  // A new window each test: one test's tries do not count against the next.
  testApp.clock.advance(2 * HOUR_MS);
});

describe('my purchases on the captive portal', () => {
  it('links from the portal and asks for proof, in English and Swahili, without JavaScript', async () => {
    const home = await (await portal(testApp.ispA.slug, '')).text();
    expect(home).toContain(`href="/portal/${testApp.ispA.slug}/purchases"`);
    const page = await portal(testApp.ispA.slug, '/purchases');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`action="/portal/${testApp.ispA.slug}/purchases"`);
    expect(html).toContain(`action="/portal/${testApp.ispA.slug}/purchases/code"`);
    expect(html).not.toContain('<script src');
    const swahili = await (await portal(testApp.ispA.slug, '/purchases', undefined, '?lang=sw')).text();
    expect(swahili).toContain('Manunuzi yangu');
    expect(swahili).toContain('Nitumie msimbo');
    // ISP B has no SMS account: only the receipt is offered.
    const withoutSms = await (await portal(testApp.ispB.slug, '/purchases')).text();
    expect(withoutSms).not.toContain('/purchases/code');
  });

  it("shows the phone's vouchers at this ISP with their status and time left, proven by an M-Pesa receipt", async () => {
    const { ispA, ispB, clock } = testApp;
    const expired = await paidPurchase(ispA, BUYER);
    await startUsing(ispA.database, expired.code, clock.now());
    clock.advance(3 * HOUR_MS);
    const running = await paidPurchase(ispA, BUYER);
    await startUsing(ispA.database, running.code, clock.now() - 90 * 60_000);
    clock.advance(60_000);
    const unused = await paidPurchase(ispA, BUYER);
    const otherBuyers = await paidPurchase(ispA, OTHER_BUYER);
    const atTheOtherIsp = await paidPurchase(ispB, BUYER);

    const shown = await portal(ispA.slug, '/purchases', { phone: '0712 000 111', receipt: running.receipt });
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain('Vouchers bought with 0712000111');
    const rows = [...html.matchAll(/<li data-purchase="([^"]+)" data-state="([^"]+)">(.*?)<\/li>/g)];
    expect(rows.map(([, id, state]) => [id, state])).toEqual([
      [unused.purchaseId, 'unused'],
      [running.purchaseId, 'active'],
      [expired.purchaseId, 'expired'],
    ]);
    const rowOf = (id: string) => rows.find(([, rowId]) => rowId === id)![3]!;
    expect(rowOf(unused.purchaseId)).toContain(unused.code);
    expect(rowOf(unused.purchaseId)).toContain('Not used yet');
    expect(rowOf(unused.purchaseId)).toContain('>2 h</b>');
    expect(rowOf(running.purchaseId)).toContain('In use');
    expect(rowOf(running.purchaseId)).toContain('>29 min</b>');
    expect(rowOf(running.purchaseId)).toContain(TEST_HOTSPOT_PLAN.name);
    expect(rowOf(expired.purchaseId)).toContain('Expired');
    // Never another phone's voucher, nor this phone's at another ISP.
    expect(html).not.toContain(otherBuyers.code);
    expect(html).not.toContain(atTheOtherIsp.code);

    // The same receipt does not open the list on the other ISP's portal, nor for another phone.
    const elsewhere = await (
      await portal(ispB.slug, '/purchases', { phone: BUYER, receipt: running.receipt })
    ).text();
    expect(elsewhere).not.toContain('data-purchase=');
    expect(noticeOf(elsewhere)).toBe(
      'That number and code do not match a purchase here. Check both and try again.',
    );
    const otherPhone = await (
      await portal(ispA.slug, '/purchases', { phone: OTHER_BUYER, receipt: running.receipt })
    ).text();
    expect(otherPhone).not.toContain('data-purchase=');
  });

  it('answers a wrong receipt in the same words whether or not the phone ever bought here', async () => {
    await paidPurchase(testApp.ispA, BUYER);
    const wrongForBuyer = await (
      await portal(testApp.ispA.slug, '/purchases', { phone: BUYER, receipt: 'QKX0000001' })
    ).text();
    const wrongForStranger = await (
      await portal(testApp.ispA.slug, '/purchases', { phone: STRANGER, receipt: 'QKX0000001' })
    ).text();
    expect(noticeOf(wrongForBuyer)).toBe(
      'That number and code do not match a purchase here. Check both and try again.',
    );
    expect(noticeOf(wrongForStranger)).toBe(noticeOf(wrongForBuyer));
    expect(wrongForBuyer).not.toContain('data-purchase=');
  });

  it("proves the phone with a one-time code from the ISP's own SMS account, and texts no number that bought nothing", async () => {
    const { ispA, clock } = testApp;
    const bought = await paidPurchase(ispA, BUYER);
    const requested = await (await portal(ispA.slug, '/purchases/code', { phone: '0712000111' })).text();
    const forStranger = await (await portal(ispA.slug, '/purchases/code', { phone: STRANGER })).text();
    expect(noticeOf(requested)).toContain(
      'If this number bought a package here in the last 30 days, a code is on its way',
    );
    expect(noticeOf(forStranger)).toBe(noticeOf(requested));
    expect(requested).toContain(`action="/portal/${ispA.slug}/purchases/verify"`);
    expect(sms.messages().map((sent) => sent.to)).toEqual([`+${BUYER}`]);
    const code = codeSentTo(BUYER);

    const wrong = await (
      await portal(ispA.slug, '/purchases/verify', {
        phone: BUYER,
        code: code === '000000' ? '111111' : '000000',
      })
    ).text();
    expect(noticeOf(wrong)).toBe(
      'That number and code do not match a purchase here. Check both and try again.',
    );
    // The code proves only the phone it was sent to.
    const forOther = await (
      await portal(ispA.slug, '/purchases/verify', { phone: OTHER_BUYER, code })
    ).text();
    expect(forOther).not.toContain('data-purchase=');
    const shown = await (await portal(ispA.slug, '/purchases/verify', { phone: BUYER, code })).text();
    expect(shown).toContain(bought.code);

    clock.advance(11 * 60_000);
    const late = await (await portal(ispA.slug, '/purchases/verify', { phone: BUYER, code })).text();
    expect(late).not.toContain('data-purchase=');
  });

  it('limits proof tries per address and SMS codes per phone, with the time to wait', async () => {
    const { ispA } = testApp;
    await paidPurchase(ispA, BUYER);
    for (let attempt = 0; attempt < 3; attempt += 1)
      expect((await portal(ispA.slug, '/purchases/code', { phone: BUYER })).status).toBe(200);
    const fourth = await portal(ispA.slug, '/purchases/code', { phone: BUYER });
    expect(fourth.status).toBe(429);
    expect(noticeOf(await fourth.text())).toMatch(
      /^Too many tries for this number\. Try again in \d+ minutes\.$/,
    );
    expect(sms.messages()).toHaveLength(3);

    for (let attempt = 0; attempt < 10; attempt += 1)
      expect((await portal(ispA.slug, '/purchases', { phone: STRANGER, receipt: 'QKX0000002' })).status).toBe(
        200,
      );
    const limited = await portal(ispA.slug, '/purchases', { phone: BUYER, receipt: 'QKX0000003' });
    expect(limited.status).toBe(429);
    expect(noticeOf(await limited.text())).toMatch(/^Too many tries\. Try again in \d+ minutes\.$/);
  });

  it('says codes by SMS are not offered where the ISP has no SMS account', async () => {
    const refused = await portal(testApp.ispB.slug, '/purchases/code', { phone: BUYER });
    expect(noticeOf(await refused.text())).toBe(
      'Codes by SMS are not available on this network. Use the M-Pesa code from your payment message.',
    );
    expect(sms.messages()).toEqual([]);
  });
});
