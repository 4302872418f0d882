// Referral rewards in-process: the programme's settings, a buyer's own code, the reward a settled portal
// purchase with a code earns — once per new phone however often M-Pesa calls back, never for one's own
// phone, within the monthly cap — its SMS in the outbox, the reports' counts, the portal's `?ref=` and
// "your referral code", and one ISP's codes meaning nothing at another.
import { cents } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import {
  signInWithToken,
  TEST_HOTSPOT_PLAN,
  TEST_START_MS,
  type TestIsp,
  useTwoIspApp,
} from '../../kernel/testing/in-process-app';
import { completePurchase, createPendingPurchase, getPurchase } from '../../mpesa/purchases';
import { portalReferralOf, ReferralField } from './portal-parts';
import { rememberPurchaseReferral } from './service';

const kiunga = useTwoIspApp('referral');
const DAY_MS = 86_400_000;
let receiptCount = 0;

async function tokenOf(isp: TestIsp): Promise<string> {
  return signInWithToken(kiunga(), isp.ownerEmail);
}

async function createPlan(isp: TestIsp, fields: Record<string, unknown> = {}): Promise<string> {
  const created = await kiunga().request('POST', '/api/v1/plans', {
    token: await tokenOf(isp),
    body: { ...TEST_HOTSPOT_PLAN, ...fields },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function enableProgramme(isp: TestIsp, fields: Record<string, unknown> = {}) {
  const rewardPlanId = await createPlan(isp, { name: 'Referral reward', priceCents: 0 });
  const saved = await kiunga().request('PUT', '/api/v1/settings/referrals', {
    token: await tokenOf(isp),
    body: {
      enabled: true,
      referrerRewardPlanId: rewardPlanId,
      newClientRewardPlanId: null,
      monthlyCapPerReferrer: 5,
      ...fields,
    },
  });
  expect(saved.status).toBe(200);
  return rewardPlanId;
}

/** A portal purchase as the M-Pesa callback settles it: pending with its code, then paid. */
async function settledPurchase(isp: TestIsp, planId: string, phone: string, referral?: string) {
  // A minute apart, so that decisions read back in order.
  kiunga().clock.advance(60_000);
  const nowMs = kiunga().clock.now();
  const pending = await createPendingPurchase(
    isp.database,
    { planId, phone, macAddress: null, amount: cents(3_000) },
    nowMs,
  );
  await rememberPurchaseReferral(isp.database, pending.id, referral);
  receiptCount += 1;
  const payment = { receipt: `SRF${String(receiptCount).padStart(7, '0')}`, amount: cents(3_000), phone };
  expect((await completePurchase(isp.database, pending, payment, nowMs)).kind).toBe('paid');
  return { purchase: await getPurchase(isp.database, pending.id), payment };
}

async function codeOfPhone(isp: TestIsp, phone: string): Promise<string> {
  const row = await isp.database.get<{ code: string }>(
    `SELECT code FROM referral_codes WHERE owner_kind = 'client' AND owner_id = ?`,
    [phone],
  );
  if (!row) throw new Error(`no referral code for ${phone}`);
  return row.code;
}

async function rewardsOf(isp: TestIsp, referrerPhone: string) {
  return isp.database.all<{
    outcome: string;
    reason: string | null;
    newPhone: string;
    voucherId: string | null;
  }>(
    `SELECT outcome, decline_reason AS "reason", new_phone AS "newPhone", referrer_voucher_id AS "voucherId"
       FROM referral_rewards WHERE referrer_id = ? ORDER BY decided_at, id`,
    [referrerPhone],
  );
}

describe('referral settings', () => {
  it('are off by default and take only the ISP’s own active hotspot plans as rewards', async () => {
    const { ispA } = kiunga();
    const read = await kiunga().request('GET', '/api/v1/settings/referrals', { token: await tokenOf(ispA) });
    expect(read.body).toEqual({
      enabled: false,
      referrerRewardPlanId: null,
      newClientRewardPlanId: null,
      monthlyCapPerReferrer: 5,
    });
    const unknownPlan = await kiunga().request('PUT', '/api/v1/settings/referrals', {
      token: await tokenOf(ispA),
      body: {
        enabled: true,
        referrerRewardPlanId: 'pln_nope',
        newClientRewardPlanId: null,
        monthlyCapPerReferrer: 3,
      },
    });
    expect(unknownPlan.status).toBe(400);
    const noPlan = await kiunga().request('PUT', '/api/v1/settings/referrals', {
      token: await tokenOf(ispA),
      body: {
        enabled: true,
        referrerRewardPlanId: null,
        newClientRewardPlanId: null,
        monthlyCapPerReferrer: 3,
      },
    });
    expect(noPlan.status).toBe(400);
  });
});

describe('a purchase with a referral code', () => {
  it('earns the referrer one reward voucher (and its SMS) once, however often M-Pesa calls back', async () => {
    const { ispA } = kiunga();
    kiunga().clock.set(TEST_START_MS);
    const rewardPlanId = await enableProgramme(ispA);
    const planId = await createPlan(ispA, { name: 'Day' });
    const referrer = '254711000001';
    await settledPurchase(ispA, planId, '0711 000 001');
    const code = await codeOfPhone(ispA, referrer);
    expect(code).toMatch(/^[A-Z2-9]{7}$/);

    const { purchase, payment } = await settledPurchase(ispA, planId, '+254 711 000 002', code.toLowerCase());
    const rewards = await rewardsOf(ispA, referrer);
    expect(rewards).toEqual([
      { outcome: 'granted', reason: null, newPhone: '254711000002', voucherId: expect.any(String) },
    ]);
    const voucher = await ispA.database.get<{ code: string; planId: string }>(
      'SELECT code, plan_id AS "planId" FROM vouchers WHERE id = ?',
      [rewards[0]?.voucherId ?? ''],
    );
    expect(voucher?.planId).toBe(rewardPlanId);
    const sms = await ispA.database.all<{ recipient: string; body: string }>(
      `SELECT recipient, body FROM notifications WHERE kind = 'referral_reward'`,
    );
    expect(sms).toEqual([{ recipient: referrer, body: expect.stringContaining(voucher?.code ?? '?') }]);

    // The same callback again (and again): the purchase is paid once, the reward granted once.
    expect((await completePurchase(ispA.database, purchase, payment, kiunga().clock.now())).kind).toBe(
      'already_paid',
    );
    // The new client buys again with the code: not new any more, and already rewarded.
    await settledPurchase(ispA, planId, '0711000002', code);
    const after = await rewardsOf(ispA, referrer);
    expect(after.filter((reward) => reward.outcome === 'granted')).toHaveLength(1);
    expect(after.at(-1)).toMatchObject({ outcome: 'declined', reason: 'already_rewarded' });
    expect(
      await ispA.database.all(`SELECT 1 FROM notifications WHERE kind = 'referral_reward'`),
    ).toHaveLength(1);
  });

  it('never rewards one’s own phone, however it is written', async () => {
    const { ispA } = kiunga();
    const planId = await createPlan(ispA, { name: 'Own phone day' });
    await settledPurchase(ispA, planId, '0711000010');
    const code = await codeOfPhone(ispA, '254711000010');
    await settledPurchase(ispA, planId, '+254-711-000-010', code);
    expect(await rewardsOf(ispA, '254711000010')).toEqual([
      { outcome: 'declined', reason: 'own_phone', newPhone: '254711000010', voucherId: null },
    ]);
  });

  it('stops at the monthly cap per referrer and starts again in the next Nairobi month', async () => {
    const { ispA } = kiunga();
    await enableProgramme(ispA, { monthlyCapPerReferrer: 2 });
    const planId = await createPlan(ispA, { name: 'Cap day' });
    kiunga().clock.set(TEST_START_MS + 10 * DAY_MS);
    await settledPurchase(ispA, planId, '0711000020');
    const code = await codeOfPhone(ispA, '254711000020');
    for (const phone of ['0711000021', '0711000022', '0711000023'])
      await settledPurchase(ispA, planId, phone, code);
    expect((await rewardsOf(ispA, '254711000020')).map((reward) => reward.reason ?? reward.outcome)).toEqual([
      'granted',
      'granted',
      'monthly_cap_reached',
    ]);
    // 1 April 2030 in Nairobi.
    kiunga().clock.set(Date.UTC(2030, 3, 1, 6));
    await settledPurchase(ispA, planId, '0711000024', code);
    expect((await rewardsOf(ispA, '254711000020')).at(-1)?.outcome).toBe('granted');

    const report = await kiunga().request('GET', '/api/v1/reports/referrals?from=2030-03-01&to=2030-04-01', {
      token: await tokenOf(ispA),
    });
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      granted: 3,
      declined: 3,
      declinedByReason: { already_rewarded: 1, own_phone: 1, monthly_cap_reached: 1 },
    });
  });

  it('shows the link’s code in the portal’s buy form and the buyer’s own code after paying', async () => {
    const { ispA } = kiunga();
    const planId = await createPlan(ispA, { name: 'Portal day' });
    const { purchase } = await settledPurchase(ispA, planId, '0711000030');
    const code = await codeOfPhone(ispA, '254711000030');
    const paidPage = await (
      await kiunga().app.request(`/portal/${ispA.slug}/purchases/${purchase.id}`)
    ).text();
    expect(paidPage).toContain(`Your referral code: <b class="code">${code}</b>`);
    // The buy form (shown where M-Pesa is set up) carries the link's code, or a field to type one.
    const referral = await portalReferralOf(ispA.database, code);
    expect(String(ReferralField({ referral, language: 'en' }))).toContain(`name="referral" value="${code}"`);
    expect(
      String(ReferralField({ referral: await portalReferralOf(ispA.database, undefined), language: 'en' })),
    ).toContain('Friend&#39;s referral code');
  });
});

describe('the ISP console and the customer portal', () => {
  it('set the programme from /isp/referrals, which shows the month’s rewards', async () => {
    const { ispA } = kiunga();
    kiunga().clock.set(Date.UTC(2030, 3, 2, 6));
    const session = await kiunga().signIn(ispA.ownerEmail);
    const page = await kiunga().page(session, '/isp/referrals');
    expect(page.status).toBe(200);
    // April so far: the one reward granted at the start of the month in the cap test.
    expect(page.html).toContain('Rewards granted: <b>1</b>');
    const planId = await createPlan(ispA, { name: 'Console reward' });
    const posted = await kiunga().page(session, '/isp/referrals', {
      enabled: 'on',
      referrerRewardPlanId: planId,
      newClientRewardPlanId: '',
      monthlyCapPerReferrer: '4',
    });
    expect(posted.status).toBe(303);
    const read = await kiunga().request('GET', '/api/v1/settings/referrals', { token: await tokenOf(ispA) });
    expect(read.body).toEqual({
      enabled: true,
      referrerRewardPlanId: planId,
      newClientRewardPlanId: null,
      monthlyCapPerReferrer: 4,
    });
  });

  it('show a subscriber its code in the customer portal, and a purchase with it rewards the subscriber', async () => {
    const { ispA } = kiunga();
    const token = await tokenOf(ispA);
    const plan = await kiunga().request('POST', '/api/v1/plans', {
      token,
      body: {
        name: 'Home',
        kind: 'pppoe',
        priceCents: 150_000,
        billingCycleMonths: 1,
        rateUpKbps: 2_000,
        rateDownKbps: 5_000,
      },
    });
    const subscriber = await kiunga().request('POST', '/api/v1/subscribers', {
      token,
      body: { username: 'akinyi', password: 'akinyi-secret-1', planId: plan.body.id, phone: '0722000050' },
    });
    expect(subscriber.status).toBe(201);
    const login = await kiunga().app.request(`/account/${ispA.slug}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: 'akinyi', password: 'akinyi-secret-1' }).toString(),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const overview = await (
      await kiunga().app.request(`/account/${ispA.slug}`, { headers: { cookie } })
    ).text();
    const code = /Your referral code: <b class="code">([A-Z2-9]{7})<\/b>/.exec(overview)?.[1];
    expect(code).toBeDefined();
    const hotspotPlan = await createPlan(ispA, { name: 'Friend day' });
    await settledPurchase(ispA, hotspotPlan, '0711000051', code);
    const after = await (await kiunga().app.request(`/account/${ispA.slug}`, { headers: { cookie } })).text();
    expect(after).toMatch(/Voucher <b>[A-Z2-9]{8}<\/b> for referring 254711•••51/);
  });
});

describe('referrals across ISPs', () => {
  it("ignores one ISP's code at another's portal and keeps settings and reports apart", async () => {
    const { ispA, ispB } = kiunga();
    kiunga().clock.set(TEST_START_MS + 20 * DAY_MS);
    const code = await codeOfPhone(ispA, '254711000001');
    await enableProgramme(ispB);
    const planId = await createPlan(ispB, { name: 'B day' });
    const { purchase } = await settledPurchase(ispB, planId, '0711000040', code);
    const stored = await ispB.database.get<{ code: string | null }>(
      'SELECT referral_code AS "code" FROM purchases WHERE id = ?',
      [purchase.id],
    );
    expect(stored?.code).toBeNull();
    expect(await ispB.database.all('SELECT 1 FROM referral_rewards')).toHaveLength(0);
    const aRewardsBefore = await ispA.database.all('SELECT 1 FROM referral_rewards');
    expect(aRewardsBefore.length).toBeGreaterThan(0);
    const bReport = await kiunga().request('GET', '/api/v1/reports/referrals?from=2030-03-01&to=2030-04-01', {
      token: await tokenOf(ispB),
    });
    expect(bReport.body).toEqual({ granted: 0, declined: 0, declinedByReason: {} });
  });
});

describe('a reward for the new client too', () => {
  it('gives the new phone its own voucher, told by SMS, when the ISP offers one', async () => {
    const { ispA } = kiunga();
    kiunga().clock.set(Date.UTC(2030, 5, 1, 6));
    const newClientPlanId = await createPlan(ispA, { name: 'Welcome hour', priceCents: 0 });
    await enableProgramme(ispA, { newClientRewardPlanId: newClientPlanId });
    const planId = await createPlan(ispA, { name: 'June day' });
    await settledPurchase(ispA, planId, '0711000060');
    const code = await codeOfPhone(ispA, '254711000060');
    await settledPurchase(ispA, planId, '0711000061', code);
    const reward = await ispA.database.get<{ voucherId: string }>(
      `SELECT new_client_voucher_id AS "voucherId" FROM referral_rewards WHERE new_phone = '254711000061'`,
    );
    const voucher = await ispA.database.get<{ code: string; planId: string }>(
      'SELECT code, plan_id AS "planId" FROM vouchers WHERE id = ?',
      [reward?.voucherId ?? ''],
    );
    expect(voucher?.planId).toBe(newClientPlanId);
    const sms = await ispA.database.get<{ body: string }>(
      `SELECT body FROM notifications WHERE kind = 'referral_reward' AND recipient = '254711000061'`,
    );
    expect(sms?.body).toContain(voucher?.code ?? '?');
  });
});
