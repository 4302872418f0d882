// End to end: a referral pays its reward once. A buyer pays on the captive portal (Daraja simulator over
// HTTP) and is shown its referral code; a new phone pays through `/portal/<slug>?ref=<code>`; the
// referrer's reward voucher is granted once, its SMS queued once, however the new phone buys again.
import type { DarajaSimulator } from '@kiunga/ops/sim/daraja';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, login } from './support/api-client';
import { queryTenant } from './support/data-access';
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

let dataDir: string;
let demo: DemoJson;
let kiunga: RunningKiunga;
let daraja: DarajaSimulator;
let owner: ApiClient;

const tenant = () => demo.tenants[0]! as MpesaDemoTenant;
const hotspotPlan = () => tenant().plans.find((plan) => plan.kind === 'hotspot')!;

beforeAll(async () => {
  dataDir = makeDataDir();
  demo = await seedDemo(dataDir);
  daraja = await startDemoDaraja(demo, { callbackDelayMs: 50, externalValidation: true });
  kiunga = await startKiunga(dataDir, { KIUNGA_MPESA_BASE_URL: daraja.baseUrl });
  owner = await login(kiunga.baseUrl, tenant().owner);
});

afterAll(async () => {
  const exitCode = await kiunga?.stop();
  await daraja?.stop();
  removeDataDir(dataDir);
  expect(exitCode).toBe(0);
});

/** Buys the demo's hotspot plan on the portal and waits for M-Pesa: the purchase id once paid. */
async function buy(phone: string, referral?: string): Promise<string> {
  const response = await fetch(`${kiunga.baseUrl}/portal/${tenant().slug}/api/purchases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ planId: hotspotPlan().id, phone, ...(referral ? { referral } : {}) }),
  });
  const started = (await response.json()) as { id: string };
  expect(response.status).toBe(202);
  const view = await settledPurchase(daraja, kiunga.baseUrl, tenant().slug, started.id);
  expect(view.status).toBe('paid');
  return started.id;
}

async function countRows(sql: string): Promise<number> {
  return (await queryTenant<{ count: number }>(dataDir, tenant().id, sql))?.count ?? 0;
}

describe('a referral through the captive portal', () => {
  it('pays the referrer its reward voucher once', async () => {
    const saved = await owner.request('PUT', '/api/v1/settings/referrals', {
      enabled: true,
      referrerRewardPlanId: hotspotPlan().id,
      newClientRewardPlanId: null,
      monthlyCapPerReferrer: 5,
    });
    expect(saved.status).toBe(200);

    const first = await buy('0712 400 001');
    const paidPage = await (
      await fetch(`${kiunga.baseUrl}/portal/${tenant().slug}/purchases/${first}`)
    ).text();
    const code = /Your referral code: <b class="code">([A-Z2-9]{7})<\/b>/.exec(paidPage)?.[1];
    expect(code, paidPage).toBeDefined();
    // The link carries the code into the portal's buy form.
    const linked = await (await fetch(`${kiunga.baseUrl}/portal/${tenant().slug}?ref=${code}`)).text();
    expect(linked).toContain(`name="referral" value="${code}"`);

    await buy('0712 400 002', code);
    await buy('0712 400 002', code);
    expect(await countRows(`SELECT COUNT(*) AS count FROM referral_rewards WHERE outcome = 'granted'`)).toBe(
      1,
    );
    expect(
      await countRows(
        `SELECT COUNT(*) AS count FROM referral_rewards WHERE outcome = 'declined' AND decline_reason = 'already_rewarded'`,
      ),
    ).toBe(1);
    expect(
      await countRows(`SELECT COUNT(*) AS count FROM notifications WHERE kind = 'referral_reward'`),
    ).toBe(1);
    expect(
      await countRows(`SELECT COUNT(*) AS count FROM vouchers WHERE batch_id IN
        (SELECT id FROM voucher_batches WHERE created_by LIKE 'referral:%')`),
    ).toBe(1);
  });
});
