// End to end on the real ./kiunga with the Daraja simulator: the ISP creates a reseller; the reseller signs
// in, tops up its wallet by M-Pesa STK (credited once however many callbacks arrive), buys voucher stock,
// and a client logs in over RADIUS with one of its codes; a portal purchase through the reseller's link
// credits its commission once, and the portal page names the reseller.
import type { DarajaSimulator } from '@kiunga/ops/sim/daraja';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, login } from './support/api-client';
import { startDemoDaraja } from './support/demo-daraja';
import {
  type DemoJson,
  type MpesaDemoTenant,
  makeDataDir,
  type RunningKiunga,
  removeDataDir,
  seedDemo,
  startKiunga,
} from './support/kiunga-process';
import { settledPurchase } from './support/portal-purchases';
import { radclient } from './support/radclient';

let dataDir: string;
let demo: DemoJson;
let kiunga: RunningKiunga;
let daraja: DarajaSimulator;

const tenant = () => demo.tenants[0]! as MpesaDemoTenant;
const hotspotPlan = () => tenant().plans.find((plan) => plan.kind === 'hotspot')!;
/** How often the reseller's console asks about a pending top-up, and for how long at most. */
const TOP_UP_POLLS_MAX = 50;
const TOP_UP_POLL_MS = 100;

beforeAll(async () => {
  dataDir = makeDataDir();
  demo = await seedDemo(dataDir);
  daraja = await startDemoDaraja(demo, { callbackDelayMs: 50, externalValidation: true });
  kiunga = await startKiunga(dataDir, { KIUNGA_MPESA_BASE_URL: daraja.baseUrl });
});

afterAll(async () => {
  const exitCode = await kiunga?.stop();
  await daraja?.stop();
  removeDataDir(dataDir);
  expect(exitCode).toBe(0);
});

describe('resellers end to end', () => {
  let isp: ApiClient;
  let reseller: ApiClient;
  let shop: { id: string; code: string };

  it('lets the ISP create a reseller that signs in with its own password', async () => {
    isp = await login(kiunga.baseUrl, tenant().owner);
    const rule = await isp.post('/api/v1/commission-rules', {
      planId: null,
      level: 1,
      percentBasisPoints: 1_000,
    });
    expect(rule.status).toBe(201);
    const created = await isp.post('/api/v1/resellers', {
      name: 'Mama Njeri Shop',
      email: 'njeri@agents.test',
      phone: '0712 345 678',
      password: 'njeri-shop-password',
    });
    expect(created.status).toBe(201);
    shop = created.body;
    reseller = await login(kiunga.baseUrl, { email: 'njeri@agents.test', password: 'njeri-shop-password' });
    const own = await reseller.get(`/api/v1/resellers/${shop.id}`);
    expect(own.body).toMatchObject({ id: shop.id, walletCents: 0 });
  });

  it('credits the wallet once when the STK top-up settles, however many callbacks arrive', async () => {
    daraja.setDuplicateCallbacks(2);
    try {
      const started = await reseller.post(`/api/v1/resellers/${shop.id}/mpesa-topups`, {
        shillings: 50,
        phone: '0712 345 678',
      });
      expect(started.status).toBe(202);
      await daraja.settled();
      let status = 'pending';
      for (let poll = 0; poll < TOP_UP_POLLS_MAX && status === 'pending'; poll += 1) {
        status = (await reseller.get(`/api/v1/resellers/${shop.id}/mpesa-topups/${started.body.id}`)).body
          .status;
        if (status === 'pending') await new Promise((done) => setTimeout(done, TOP_UP_POLL_MS));
      }
      expect(status).toBe('paid');
      const wallet = await reseller.get(`/api/v1/resellers/${shop.id}`);
      expect(wallet.body.walletCents).toBe(5_000);
      const topUps = await reseller.get(`/api/v1/resellers/${shop.id}/topups`);
      expect(topUps.body.items).toEqual([expect.objectContaining({ amountCents: 5_000, method: 'mpesa' })]);
    } finally {
      daraja.setDuplicateCallbacks(0);
    }
  });

  it('sells stock from the wallet whose codes log a client in over RADIUS', async () => {
    const bought = await reseller.post(`/api/v1/resellers/${shop.id}/stock`, {
      planId: hotspotPlan().id,
      count: 2,
    });
    expect(bought.status).toBe(201);
    expect(bought.body.costCents).toBe(2 * hotspotPlan().priceCents);
    expect(bought.body.codes).toHaveLength(2);
    const code = bought.body.codes[0] as string;
    const accepted = await radclient({
      server: `127.0.0.1:${kiunga.authPort}`,
      command: 'auth',
      secret: tenant().nas[0]!.secret,
      attributes: { 'User-Name': code, 'User-Password': code, 'Calling-Station-Id': '02:00:00:00:88:01' },
    });
    expect(accepted.code).toBe('Access-Accept');
    const short = await reseller.post(`/api/v1/resellers/${shop.id}/stock`, {
      planId: hotspotPlan().id,
      count: 1_000,
    });
    expect(short.status).toBe(402);
    expect(short.body.error.code).toBe('wallet_insufficient');
  });

  it('names the reseller on the portal reached through its link and credits its commission once', async () => {
    const page = await fetch(`${kiunga.baseUrl}/portal/${tenant().slug}?r=${shop.code}`);
    const html = await page.text();
    expect(html).toContain('Mama Njeri Shop');
    expect(html).toContain(`value="${shop.code}"`);
    const before = (await reseller.get(`/api/v1/resellers/${shop.id}/commissions`)).body.totals.amountCents;
    daraja.setDuplicateCallbacks(2);
    try {
      const started = (await (
        await fetch(`${kiunga.baseUrl}/portal/${tenant().slug}/api/purchases`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ planId: hotspotPlan().id, phone: '0700 000 000', reseller: shop.code }),
        })
      ).json()) as { id: string };
      const paid = await settledPurchase(daraja, kiunga.baseUrl, tenant().slug, started.id);
      expect(paid.status).toBe('paid');
      const commissions = await reseller.get(`/api/v1/resellers/${shop.id}/commissions`);
      const portalSale = commissions.body.items.filter(
        (item: { saleId: string }) => item.saleId === started.id,
      );
      // 10 % of the plan's price, in whole shillings.
      const expected = Math.floor(hotspotPlan().priceCents / 1_000) * 100;
      expect(portalSale).toEqual([
        expect.objectContaining({ level: 1, amountCents: expected, saleKind: 'portal' }),
      ]);
      expect(commissions.body.totals.amountCents).toBe(before + expected);
    } finally {
      daraja.setDuplicateCallbacks(0);
    }
    const unknown = await fetch(`${kiunga.baseUrl}/portal/${tenant().slug}/api/purchases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ planId: hotspotPlan().id, phone: '0700 000 000', reseller: 'ZZZZZZ' }),
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('reseller_code_unknown');
  });
});
