// Resellers in process (issue 13's contract): the ISP creates resellers, records cash top-ups (once per
// reference) and commission rules; a reseller signs in with POST /api/v1/auth/login, creates a
// sub-reseller, buys stock (402 and nothing changed when short), sees its commissions and statement;
// payouts above what is owed are refused. Isolation: a reseller never sees its sibling or the ISP's other
// data, and ISP B never sees ISP A's resellers.
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

const testApp = useTwoIspApp('resellers');

interface Reseller {
  id: string;
  code: string;
  parentId: string | null;
  depth: number;
  walletCents: number;
  commissionOwedCents: number;
}

async function createdReseller(response: Response): Promise<Reseller> {
  expect(response.status).toBe(201);
  return jsonOf<Reseller>(response);
}

describe('resellers', () => {
  let planId: string;
  let shop: Reseller;
  let sibling: Reseller;
  let shopApi: ReturnType<typeof apiClient>;

  it('lets the ISP create resellers with a code, an empty wallet and a sign-in account', async () => {
    const isp = testApp().ispA;
    planId = (await jsonOf<{ id: string }>(await isp.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN))).id;
    shop = await createdReseller(
      await isp.request('POST', '/api/v1/resellers', {
        name: 'Mama Njeri Shop',
        email: 'njeri@shop.test',
        phone: '0712 345 678',
        password: TEST_PASSWORD,
      }),
    );
    expect(shop).toMatchObject({ parentId: null, depth: 1, walletCents: 0, commissionOwedCents: 0 });
    expect(shop.code).toMatch(/^[A-Z2-9]{6}$/);
    sibling = await createdReseller(
      await isp.request('POST', '/api/v1/resellers', {
        name: 'Kiosk Two',
        email: 'kiosk@shop.test',
        phone: '0722 000 111',
        password: TEST_PASSWORD,
      }),
    );
    const fetched = await jsonOf<Reseller>(await isp.request('GET', `/api/v1/resellers/${shop.id}`));
    expect(fetched).toMatchObject({ id: shop.id, code: shop.code, walletCents: 0, parentId: null });
    shopApi = apiClient(testApp(), await signInWithToken(testApp(), 'njeri@shop.test'));
  });

  it('records a cash top-up once per reference, and refuses the reference with another amount', async () => {
    const isp = testApp().ispA;
    const body = { amountCents: 10_000, reference: 'CASH-001' };
    const first = await isp.request('POST', `/api/v1/resellers/${shop.id}/topups`, body);
    expect(first.status).toBe(201);
    expect((await jsonOf<{ walletCents: number }>(first)).walletCents).toBe(10_000);
    const repeat = await isp.request('POST', `/api/v1/resellers/${shop.id}/topups`, body);
    expect((await jsonOf<{ walletCents: number }>(repeat)).walletCents).toBe(10_000);
    const clash = await isp.request('POST', `/api/v1/resellers/${shop.id}/topups`, {
      amountCents: 5_000,
      reference: 'CASH-001',
    });
    expect(clash.status).toBe(409);
    const reseller = await jsonOf<Reseller>(await isp.request('GET', `/api/v1/resellers/${shop.id}`));
    expect(reseller.walletCents).toBe(10_000);
  });

  it('keeps one commission rule per plan and level', async () => {
    const isp = testApp().ispA;
    expect(
      (await isp.request('POST', '/api/v1/commission-rules', { planId, level: 1, percentBasisPoints: 500 }))
        .status,
    ).toBe(201);
    expect(
      (await isp.request('POST', '/api/v1/commission-rules', { planId, level: 1, percentBasisPoints: 1_000 }))
        .status,
    ).toBe(201);
    await isp.request('POST', '/api/v1/commission-rules', { planId: null, level: 2, fixedCents: 100 });
    const rules = await jsonOf<{ items: Array<{ planId: string | null; level: number }> }>(
      await isp.request('GET', '/api/v1/commission-rules'),
    );
    expect(rules.items).toEqual([
      expect.objectContaining({ planId: null, level: 2, fixedCents: 100 }),
      expect.objectContaining({ planId, level: 1, percentBasisPoints: 1_000 }),
    ]);
    const both = await isp.request('POST', '/api/v1/commission-rules', {
      planId,
      level: 1,
      percentBasisPoints: 100,
      fixedCents: 100,
    });
    expect(both.status).toBe(400);
  });

  it('lets a reseller create a sub-reseller under itself, and not at the top', async () => {
    const top = await shopApi('POST', '/api/v1/resellers', {
      name: 'Rogue',
      email: 'rogue@shop.test',
      phone: '0733 000 000',
      parentId: null,
    });
    expect(await errorCodeOf(top)).toBe('reseller_outside_subtree');
    const sub = await createdReseller(
      await shopApi('POST', '/api/v1/resellers', {
        name: 'Caretaker Block B',
        email: 'caretaker@shop.test',
        phone: '0744 000 000',
        password: TEST_PASSWORD,
      }),
    );
    expect(sub).toMatchObject({ parentId: shop.id, depth: 2 });
    // The ISP's default depth is 2: the sub-reseller cannot have sub-resellers of its own.
    const subApi = apiClient(testApp(), await signInWithToken(testApp(), 'caretaker@shop.test'));
    const tooDeep = await subApi('POST', '/api/v1/resellers', {
      name: 'Too deep',
      email: 'deep@shop.test',
      phone: '0755 000 000',
    });
    expect(tooDeep.status).toBe(409);
    expect(await errorCodeOf(tooDeep)).toBe('reseller_depth_exceeded');
    const listed = await jsonOf<{ items: Reseller[] }>(
      await shopApi('GET', `/api/v1/resellers?parentId=${shop.id}`),
    );
    expect(listed.items.map((item) => item.id)).toEqual([sub.id]);
  });

  it('sells stock from the wallet with its codes and cost, and refuses (402) when the wallet is short', async () => {
    // Ksh 30 a voucher, 10 % to the seller at once (commission mode).
    const bought = await shopApi('POST', `/api/v1/resellers/${shop.id}/stock`, { planId, count: 3 });
    expect(bought.status).toBe(201);
    const stock = await jsonOf<{ codes: string[]; costCents: number; walletCents: number }>(bought);
    expect(stock.codes).toHaveLength(3);
    expect(stock.costCents).toBe(9_000);
    expect(stock.walletCents).toBe(1_000);
    const short = await shopApi('POST', `/api/v1/resellers/${shop.id}/stock`, { planId, count: 1 });
    expect(short.status).toBe(402);
    expect(await errorCodeOf(short)).toBe('wallet_insufficient');
    const after = await jsonOf<Reseller>(await shopApi('GET', `/api/v1/resellers/${shop.id}`));
    expect(after.walletCents).toBe(1_000);
    const vouchers = await jsonOf<{ items: unknown[] }>(
      await testApp().ispA.request('GET', '/api/v1/vouchers'),
    );
    expect(vouchers.items).toHaveLength(3);
    const commissions = await jsonOf<{
      items: Array<{ saleId: string; amountCents: number; level: number }>;
      totals: { amountCents: number };
    }>(await shopApi('GET', `/api/v1/resellers/${shop.id}/commissions`));
    expect(commissions.items).toEqual([expect.objectContaining({ level: 1, amountCents: 900 })]);
    expect(commissions.totals.amountCents).toBe(900);
    expect(after.commissionOwedCents).toBe(900);
  });

  it('records payouts up to what is owed, and the statement closes on the balances', async () => {
    const isp = testApp().ispA;
    const tooMuch = await isp.request('POST', `/api/v1/resellers/${shop.id}/payouts`, {
      amountCents: 1_000,
      method: 'mpesa',
      reference: 'QX1',
    });
    expect(tooMuch.status).toBe(409);
    expect(await errorCodeOf(tooMuch)).toBe('payout_exceeds_owed');
    const paid = await isp.request('POST', `/api/v1/resellers/${shop.id}/payouts`, {
      amountCents: 500,
      method: 'cash',
      reference: 'PAY-1',
    });
    expect(paid.status).toBe(201);
    expect((await jsonOf<{ commissionOwedCents: number }>(paid)).commissionOwedCents).toBe(400);
    const statement = await jsonOf<{
      wallet: { topUpsCents: number; stockCents: number; closingCents: number };
      commissions: { earnedCents: number; payoutsCents: number; closingCents: number };
      lines: unknown[];
    }>(await shopApi('GET', `/api/v1/resellers/${shop.id}/statement`));
    expect(statement.wallet).toMatchObject({ topUpsCents: 10_000, stockCents: 9_000, closingCents: 1_000 });
    expect(statement.commissions).toMatchObject({ earnedCents: 900, payoutsCents: 500, closingCents: 400 });
    expect(statement.lines).toHaveLength(4);
    const csv = await shopApi('GET', `/api/v1/resellers/${shop.id}/statement?format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).split('\r\n')[0]).toBe(
      'time,kind,reference,walletChangeCents,walletBalanceCents,commissionChangeCents,commissionBalanceCents',
    );
    const pdf = await shopApi('GET', `/api/v1/resellers/${shop.id}/statement?format=pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('keeps a reseller out of its sibling, of the ISP-only money routes and of the ISP’s other data', async () => {
    for (const path of ['', '/commissions', '/statement', '/payouts', '/topups', '/stock']) {
      const response = await shopApi('GET', `/api/v1/resellers/${sibling.id}${path}`);
      expect(response.status).toBe(404);
    }
    const buyForSibling = await shopApi('POST', `/api/v1/resellers/${sibling.id}/stock`, {
      planId,
      count: 1,
    });
    expect(buyForSibling.status).toBe(404);
    const list = await jsonOf<{ items: Reseller[] }>(await shopApi('GET', '/api/v1/resellers'));
    expect(list.items.map((item) => item.id)).not.toContain(sibling.id);
    expect(list.items.map((item) => item.id)).toContain(shop.id);
    const selfTopUp = await shopApi('POST', `/api/v1/resellers/${shop.id}/topups`, {
      amountCents: 100_000,
      reference: 'FREE-MONEY',
    });
    expect(selfTopUp.status).toBe(403);
    expect(
      (await shopApi('POST', '/api/v1/commission-rules', { planId, level: 1, fixedCents: 3_000 })).status,
    ).toBe(403);
    for (const path of [
      '/api/v1/vouchers',
      '/api/v1/subscribers',
      '/api/v1/sessions',
      '/api/v1/reports/sales',
    ]) {
      expect((await shopApi('GET', path)).status).toBe(403);
    }
  });

  it('keeps one ISP’s resellers from another', async () => {
    const ispB = testApp().ispB;
    expect((await ispB.request('GET', `/api/v1/resellers/${shop.id}`)).status).toBe(404);
    expect(
      (
        await ispB.request('POST', `/api/v1/resellers/${shop.id}/topups`, {
          amountCents: 100,
          reference: 'B',
        })
      ).status,
    ).toBe(404);
    const listed = await jsonOf<{ items: Reseller[] }>(await ispB.request('GET', '/api/v1/resellers'));
    expect(listed.items).toEqual([]);
    // The reseller's own token is ISP A's: ISP B's rows stay out of reach.
    const bReseller = await createdReseller(
      await ispB.request('POST', '/api/v1/resellers', {
        name: 'B shop',
        email: 'bshop@shop.test',
        phone: '0766 000 000',
        password: TEST_PASSWORD,
      }),
    );
    expect((await shopApi('GET', `/api/v1/resellers/${bReseller.id}`)).status).toBe(404);
  });
});
