// Resellers, the selling half (issue 13's open items), in process on both databases: a reseller sells a stock
// voucher to a buyer's phone by SMS (outbox row in the ISP's language with the reseller's name and phone,
// the voucher marked sold and counted; Tier 2 only; a sibling's stock out of reach); the ISP's reseller
// settings (depth, pricing) and re-parenting with cycles and depth refused; an STK wallet top-up writes its
// payments row once however often the callback comes.
import { cents } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import {
  apiClient,
  errorCodeOf,
  jsonOf,
  signInWithToken,
  TEST_HOTSPOT_PLAN,
  TEST_PASSWORD,
  useTwoIspApp,
} from '../../kernel/testing/in-process-app';
import { completePurchase, createPendingPurchase } from '../../mpesa/purchases';

const testApp = useTwoIspApp('rsell');

interface Reseller {
  id: string;
  code: string;
  parentId: string | null;
  depth: number;
  walletCents: number;
  stockSoldCount: number;
  stockUnsoldCount: number;
}

interface Sale {
  voucherId: string;
  code: string;
  planId: string;
  phone: string;
  isSmsQueued: boolean;
}

async function created<Body>(response: Response): Promise<Body> {
  expect(response.status).toBe(201);
  return jsonOf<Body>(response);
}

function newReseller(name: string, email: string, phone: string, parentId?: string) {
  return { name, email, phone, password: TEST_PASSWORD, ...(parentId === undefined ? {} : { parentId }) };
}

describe('reseller selling', () => {
  let planId: string;
  let shop: Reseller;
  let sibling: Reseller;
  let shopApi: ReturnType<typeof apiClient>;
  let stockCodes: string[];

  it('sets up a shop with stock and an ISP with SMS', async () => {
    const isp = testApp().ispA;
    planId = (await created<{ id: string }>(await isp.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN)))
      .id;
    shop = await created<Reseller>(
      await isp.request(
        'POST',
        '/api/v1/resellers',
        newReseller('Mama Njeri Shop', 'njeri@sell.test', '0712 345 678'),
      ),
    );
    sibling = await created<Reseller>(
      await isp.request(
        'POST',
        '/api/v1/resellers',
        newReseller('Kiosk Two', 'kiosk@sell.test', '0722 000 111'),
      ),
    );
    for (const reseller of [shop, sibling]) {
      await created(
        await isp.request('POST', `/api/v1/resellers/${reseller.id}/topups`, {
          amountCents: 10_000,
          reference: `CASH-${reseller.code}`,
        }),
      );
    }
    expect(
      (
        await isp.request('PUT', '/api/v1/settings/sms', {
          username: 'isp-a',
          apiKey: 'key-a',
          enabled: true,
        })
      ).status,
    ).toBe(200);
    shopApi = apiClient(testApp(), await signInWithToken(testApp(), 'njeri@sell.test'));
    stockCodes = (
      await created<{ codes: string[] }>(
        await shopApi('POST', `/api/v1/resellers/${shop.id}/stock`, { planId, count: 2 }),
      )
    ).codes;
  });

  it('sells the oldest unsold voucher of a plan to a phone: the SMS carries the code and the seller', async () => {
    const sale = await created<Sale>(
      await shopApi('POST', `/api/v1/resellers/${shop.id}/stock/sell`, { phone: '0733 111 222', planId }),
    );
    expect(sale).toMatchObject({ planId, phone: '254733111222', isSmsQueued: true });
    expect(stockCodes).toContain(sale.code);
    const outbox = await testApp().ispA.database.all<{ recipient: string; body: string; kind: string }>(
      `SELECT recipient, body, kind FROM notifications WHERE kind = 'reseller_sale'`,
    );
    expect(outbox).toEqual([
      {
        kind: 'reseller_sale',
        recipient: '254733111222',
        body: `Your Wi-Fi code: ${sale.code} (${TEST_HOTSPOT_PLAN.name}). Enter it on the hotspot login page. Sold by Mama Njeri Shop, 0712345678.`,
      },
    ]);
    const after = await jsonOf<Reseller>(await shopApi('GET', `/api/v1/resellers/${shop.id}`));
    expect(after).toMatchObject({ stockSoldCount: 1, stockUnsoldCount: 1 });
    const sales = await jsonOf<{ items: Array<{ code: string; phone: string }> }>(
      await shopApi('GET', `/api/v1/resellers/${shop.id}/stock/sales`),
    );
    expect(sales.items).toEqual([expect.objectContaining({ code: sale.code, phone: '254733111222' })]);
  });

  it('sells a named code once, in Swahili when asked, and then says the stock of the plan is empty', async () => {
    const remaining = (await testApp().ispA.database.get<{ code: string }>(
      `SELECT v.code FROM vouchers v WHERE v.code IN (?, ?)
         AND NOT EXISTS (SELECT 1 FROM reseller_voucher_sales s WHERE s.voucher_id = v.id)`,
      stockCodes,
    ))!.code;
    const sale = await created<Sale>(
      await shopApi('POST', `/api/v1/resellers/${shop.id}/stock/sell`, {
        phone: '0744 000 999',
        code: remaining.toLowerCase(),
        language: 'sw',
      }),
    );
    expect(sale.code).toBe(remaining);
    const body = await testApp().ispA.database.get<{ body: string }>(
      'SELECT body FROM notifications WHERE recipient = ?',
      ['254744000999'],
    );
    expect(body?.body).toBe(
      `Msimbo wako wa Wi-Fi: ${remaining} (${TEST_HOTSPOT_PLAN.name}). Uweke kwenye ukurasa wa kuingia wa hotspot. Umeuzwa na Mama Njeri Shop, 0712345678.`,
    );
    const again = await shopApi('POST', `/api/v1/resellers/${shop.id}/stock/sell`, {
      phone: '0744 000 998',
      code: remaining,
    });
    expect(again.status).toBe(409);
    expect(await errorCodeOf(again)).toBe('reseller_voucher_sold');
    const empty = await shopApi('POST', `/api/v1/resellers/${shop.id}/stock/sell`, {
      phone: '0744 000 997',
      planId,
    });
    expect(empty.status).toBe(409);
    expect(await errorCodeOf(empty)).toBe('reseller_stock_empty');
    const both = await shopApi('POST', `/api/v1/resellers/${shop.id}/stock/sell`, {
      phone: '0744 000 997',
      planId,
      code: remaining,
    });
    expect(both.status).toBe(400);
    const queued = await testApp().ispA.database.column<string>(
      `SELECT recipient FROM notifications WHERE kind = 'reseller_sale' ORDER BY id`,
    );
    expect(queued).toEqual(['254733111222', '254744000999']);
  });

  it('keeps a reseller away from its sibling’s stock, and ISP B from ISP A’s', async () => {
    const siblingCodes = (
      await created<{ codes: string[] }>(
        await testApp().ispA.request('POST', `/api/v1/resellers/${sibling.id}/stock`, { planId, count: 1 }),
      )
    ).codes;
    const bySibling = await shopApi('POST', `/api/v1/resellers/${sibling.id}/stock/sell`, {
      phone: '0755 000 001',
      planId,
    });
    expect(bySibling.status).toBe(404);
    // Its own route, with the sibling's code: not in its stock.
    const siblingCode = await shopApi('POST', `/api/v1/resellers/${shop.id}/stock/sell`, {
      phone: '0755 000 001',
      code: siblingCodes[0],
    });
    expect(siblingCode.status).toBe(404);
    expect((await shopApi('GET', `/api/v1/resellers/${sibling.id}/stock/sales`)).status).toBe(404);
    const fromB = await testApp().ispB.request('POST', `/api/v1/resellers/${sibling.id}/stock/sell`, {
      phone: '0755 000 001',
      planId,
    });
    expect(fromB.status).toBe(404);
    const siblingAfter = await jsonOf<Reseller>(
      await testApp().ispA.request('GET', `/api/v1/resellers/${sibling.id}`),
    );
    expect(siblingAfter).toMatchObject({ stockSoldCount: 0, stockUnsoldCount: 1 });
  });

  it('is refused to a Tier 1 ISP with feature_not_in_tier naming Tier 2', async () => {
    const platform = testApp().dependencies.databases.platform;
    await platform.run(`UPDATE tenants SET tier = 'tier1', feature_choice = 'hotspot' WHERE id = ?`, [
      testApp().ispA.tenantId,
    ]);
    try {
      const refused = await shopApi('POST', `/api/v1/resellers/${shop.id}/stock/sell`, {
        phone: '0755 000 002',
        planId,
      });
      expect(refused.status).toBe(403);
      const answer = await jsonOf<{ error: { code: string; message: string } }>(refused);
      expect(answer.error.code).toBe('feature_not_in_tier');
      expect(answer.error.message).toContain('Tier 2');
    } finally {
      await platform.run(`UPDATE tenants SET tier = 'tier2', feature_choice = NULL WHERE id = ?`, [
        testApp().ispA.tenantId,
      ]);
    }
  });

  it('lets the ISP set the depth and the pricing, refusing a depth below where resellers sit', async () => {
    const isp = testApp().ispA;
    expect(await jsonOf(await isp.request('GET', '/api/v1/settings/resellers'))).toEqual({
      depthMax: 2,
      stockPricing: 'commission',
    });
    const saved = await isp.request('PUT', '/api/v1/settings/resellers', {
      depthMax: 3,
      stockPricing: 'discount',
    });
    expect(saved.status).toBe(200);
    expect(await jsonOf(saved)).toEqual({ depthMax: 3, stockPricing: 'discount' });
    expect(
      (await isp.request('PUT', '/api/v1/settings/resellers', { depthMax: 4, stockPricing: 'discount' }))
        .status,
    ).toBe(400);
    expect(
      (await shopApi('PUT', '/api/v1/settings/resellers', { depthMax: 1, stockPricing: 'commission' }))
        .status,
    ).toBe(403);
    await created(
      await shopApi('POST', '/api/v1/resellers', newReseller('Block B', 'blockb@sell.test', '0766 000 001')),
    );
    const tooShallow = await isp.request('PUT', '/api/v1/settings/resellers', {
      depthMax: 1,
      stockPricing: 'commission',
    });
    expect(tooShallow.status).toBe(409);
    expect(await errorCodeOf(tooShallow)).toBe('reseller_depth_exceeded');
    expect(await jsonOf(await isp.request('GET', '/api/v1/settings/resellers'))).toEqual({
      depthMax: 3,
      stockPricing: 'discount',
    });
  });

  it('moves a reseller with its subtree, refusing cycles, overflow and resellers, and audits the move', async () => {
    const isp = testApp().ispA;
    const listed = await jsonOf<{ items: Reseller[] }>(
      await isp.request('GET', `/api/v1/resellers?parentId=${shop.id}`),
    );
    const blockB = listed.items[0]!;
    // shop (1) → Block B (2); move shop under sibling: shop 2, Block B 3.
    const moved = await isp.request('POST', `/api/v1/resellers/${shop.id}/move`, { parentId: sibling.id });
    expect(moved.status).toBe(200);
    expect(await jsonOf(moved)).toMatchObject({ id: shop.id, parentId: sibling.id, depth: 2 });
    expect(await jsonOf(await isp.request('GET', `/api/v1/resellers/${blockB.id}`))).toMatchObject({
      parentId: shop.id,
      depth: 3,
    });
    const cycle = await isp.request('POST', `/api/v1/resellers/${sibling.id}/move`, { parentId: blockB.id });
    expect(cycle.status).toBe(409);
    expect(await errorCodeOf(cycle)).toBe('reseller_move_creates_cycle');
    const self = await isp.request('POST', `/api/v1/resellers/${shop.id}/move`, { parentId: shop.id });
    expect(await errorCodeOf(self)).toBe('reseller_move_creates_cycle');
    // Block B is at depth 3 under shop: shop under Block B's level would need depth 4.
    const other = await created<Reseller>(
      await isp.request('POST', '/api/v1/resellers', newReseller('Third', 'third@sell.test', '0766 000 002')),
    );
    const overflow = await isp.request('POST', `/api/v1/resellers/${other.id}/move`, { parentId: blockB.id });
    expect(overflow.status).toBe(409);
    expect(await errorCodeOf(overflow)).toBe('reseller_depth_exceeded');
    const byReseller = await shopApi('POST', `/api/v1/resellers/${blockB.id}/move`, { parentId: null });
    expect(byReseller.status).toBe(403);
    const byB = await testApp().ispB.request('POST', `/api/v1/resellers/${shop.id}/move`, { parentId: null });
    expect(byB.status).toBe(404);
    const back = await isp.request('POST', `/api/v1/resellers/${shop.id}/move`, { parentId: null });
    expect(await jsonOf(back)).toMatchObject({ parentId: null, depth: 1 });
    expect(await jsonOf(await isp.request('GET', `/api/v1/resellers/${blockB.id}`))).toMatchObject({
      depth: 2,
    });
    const audit = await testApp().dependencies.databases.platform.all<{ action: string; target: string }>(
      `SELECT action, target FROM audit_log WHERE tenant_id = ? AND action IN ('reseller.move', 'reseller_settings.update') ORDER BY id`,
      [isp.tenantId],
    );
    expect(audit).toEqual([
      { action: 'reseller_settings.update', target: 'resellers' },
      { action: 'reseller.move', target: shop.id },
      { action: 'reseller.move', target: shop.id },
    ]);
  });

  it('writes an STK top-up’s payments row with the wallet credit, once however often the callback comes', async () => {
    const database = testApp().ispA.database;
    const purchase = await createPendingPurchase(
      database,
      { planId: shop.id, phone: '254712345678', macAddress: null, amount: cents(50_000) },
      testApp().clock.now(),
    );
    const payment = { receipt: 'SELLTOPUP1', amount: cents(50_000), phone: '254712345678' };
    const first = await completePurchase(database, purchase, payment, testApp().clock.now());
    const repeat = await completePurchase(database, purchase, payment, testApp().clock.now());
    expect([first.kind, repeat.kind]).toEqual(['reseller_topped_up', 'reseller_already_topped_up']);
    const payments = await database.all(
      `SELECT provider, provider_transaction_id AS receipt, amount_cents AS "amountCents", matched_kind AS "matchedKind",
              matched_id AS "matchedId", status FROM payments WHERE provider_transaction_id = ?`,
      ['SELLTOPUP1'],
    );
    expect(payments).toEqual([
      {
        provider: 'mpesa_stk',
        receipt: 'SELLTOPUP1',
        amountCents: 50_000,
        matchedKind: 'reseller',
        matchedId: shop.id,
        status: 'matched',
      },
    ]);
    const wallet = await jsonOf<Reseller>(
      await testApp().ispA.request('GET', `/api/v1/resellers/${shop.id}`),
    );
    // 10,000 cash − 2 × 3,000 stock (commission mode then) + 50,000 by STK.
    expect(wallet.walletCents).toBe(54_000);
  });

  it('does the same from the consoles: the ISP saves settings and moves; the reseller sells by SMS', async () => {
    const app = testApp();
    const owner = await app.signIn(app.ispA.ownerEmail);
    const page = await app.page(owner, '/isp/resellers');
    expect(page.html).toContain('id="reseller-settings"');
    const saved = await app.page(owner, '/isp/resellers/settings', {
      depthMax: '3',
      stockPricing: 'commission',
    });
    expect(saved.status).toBe(303);
    expect(await jsonOf(await app.ispA.request('GET', '/api/v1/settings/resellers'))).toEqual({
      depthMax: 3,
      stockPricing: 'commission',
    });
    const moved = await app.page(owner, `/isp/resellers/${shop.id}/move`, { parentId: sibling.id });
    expect(moved.status).toBe(303);
    expect((await app.page(owner, moved.location!)).html).toContain('Mama Njeri Shop moved to level 2.');
    await created(await shopApi('POST', `/api/v1/resellers/${shop.id}/stock`, { planId, count: 1 }));
    const kiosk = await app.signIn('njeri@sell.test');
    const home = await app.page(kiosk, '/reseller');
    expect(home.html).toContain('id="sell-by-sms"');
    const sold = await app.page(kiosk, '/reseller/sell', { planId, phone: '0788 000 001' });
    expect(sold.status).toBe(303);
    expect((await app.page(kiosk, sold.location!)).html).toMatch(
      /Code [A-Z2-9]{8} sent by SMS to \+254788000001\./,
    );
  });
});
