// Jobs that keep money and vouchers honest, run in-process with a clock the test moves: STK
// reconciliation when Daraja's callback never arrives, and voucher expiry.
import {
  type ApiDependencies,
  type createApp,
  expireVouchers,
  reconcilePendingPurchases,
} from '@kiunga/control-api';
import { type DarajaSimulator, startDarajaSimulator } from '@kiunga/ops/sim/daraja';
import { type Databases, ManualClock } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessKiunga, startInProcess } from './support/in-process';
import {
  type DemoJson,
  type MpesaDemoTenant,
  makeDataDir,
  removeDataDir,
  seedDemo,
} from './support/kiunga-process';

const MINUTE_MS = 60_000;
let dataDir: string;
let demo: DemoJson;
let kiunga: InProcessKiunga;
let databases: Databases;
let daraja: DarajaSimulator;
let dependencies: ApiDependencies;
let app: ReturnType<typeof createApp>;
const clock = new ManualClock(Date.now());
const tenant = () => demo.tenants[0]! as MpesaDemoTenant;

beforeAll(async () => {
  dataDir = makeDataDir();
  demo = await seedDemo(dataDir);
  const { mpesa } = tenant();
  daraja = await startDarajaSimulator({
    port: 0,
    apps: [{ consumerKey: mpesa.consumerKey, consumerSecret: mpesa.consumerSecret }],
    shortcodes: [{ shortcode: mpesa.shortcode, passkey: mpesa.passkey }],
    callbackDelayMs: 10,
    now: () => clock.now(),
  });
  kiunga = await startInProcess({ dataDir, clock, mpesaBaseUrl: daraja.baseUrl });
  ({ databases, dependencies, app } = kiunga);
});

afterAll(async () => {
  await kiunga?.stop();
  await daraja?.stop();
  removeDataDir(dataDir);
});

async function buy(phone: string): Promise<string> {
  const plan = tenant().plans.find((p) => p.kind === 'hotspot')!;
  const response = await app.request(`/portal/${tenant().slug}/api/purchases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ planId: plan.id, phone }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function view(purchaseId: string) {
  const response = await app.request(`/portal/${tenant().slug}/api/purchases/${purchaseId}`);
  return (await response.json()) as { status: string; voucherCode?: string; error?: { code: string } };
}

describe('STK reconciliation', () => {
  it('pays a purchase whose callback was lost, once, by asking Daraja', async () => {
    const purchaseId = await buy('0700000000');
    await daraja.settled();
    expect((await view(purchaseId)).status).toBe('pending');
    clock.advance(MINUTE_MS); // too early: the callback may still come
    expect(await reconcilePendingPurchases(dependencies)).toEqual({ paid: 0, failed: 0 });
    clock.advance(2 * MINUTE_MS);
    expect(await reconcilePendingPurchases(dependencies)).toEqual({ paid: 1, failed: 0 });
    const paid = await view(purchaseId);
    expect(paid.status).toBe('paid');
    expect(paid.voucherCode).toMatch(/^[A-Z2-9]{8}$/);
    expect(await reconcilePendingPurchases(dependencies)).toEqual({ paid: 0, failed: 0 });
  });

  it('fails a purchase M-Pesa reports as cancelled, and gives up on one that never resolves', async () => {
    const cancelled = await buy('0700000001');
    const neverResolves = await buy('0700000008');
    await daraja.settled();
    clock.advance(3 * MINUTE_MS);
    expect(await reconcilePendingPurchases(dependencies)).toEqual({ paid: 0, failed: 1 });
    expect((await view(cancelled)).error?.code).toBe('mpesa_cancelled');
    expect((await view(neverResolves)).status).toBe('pending');
    clock.advance(31 * MINUTE_MS);
    await reconcilePendingPurchases(dependencies);
    expect((await view(neverResolves)).error?.code).toBe('mpesa_timeout');
  });
});

describe('voucher expiry job', () => {
  it('marks vouchers whose validity ran out as expired, and only those', async () => {
    const database = databases.forTenant(tenant().id);
    const [old, fresh] = tenant().vouchers;
    const nowMs = clock.now();
    const activate = `UPDATE vouchers SET status = 'active', first_used_at = ?, expires_at = ? WHERE id = ?`;
    await database.run(activate, [nowMs - 7_200_000, nowMs - 1, old!.id]);
    await database.run(activate, [nowMs, nowMs + 3_600_000, fresh!.id]);
    expect(await expireVouchers(dependencies)).toBe(1);
    const status = async (id: string) =>
      (await database.get<{ status: string }>('SELECT status FROM vouchers WHERE id = ?', [id]))?.status;
    expect(await status(old!.id)).toBe('expired');
    expect(await status(fresh!.id)).toBe('active');
    expect(await expireVouchers(dependencies)).toBe(0);
  });
});
