// PPPoE trials in-process with the clock moved past the trial: no invoice while it runs; then the first
// invoice starts at the trial's end ("bill"), or the service ends there and nothing is billed ("expire");
// a trial only before the first bill; one ISP's trial setting is not another's.
import { describe, expect, it } from 'vitest';
import { runTenantInvoices } from '../../billing/store';
import {
  signInWithToken,
  TEST_START_MS,
  type TestIsp,
  useTwoIspApp,
} from '../../kernel/testing/in-process-app';

const kiunga = useTwoIspApp('trial');
const DAY_MS = 86_400_000;
let subscriberCount = 0;

async function tokenOf(isp: TestIsp): Promise<string> {
  return signInWithToken(kiunga(), isp.ownerEmail);
}

async function createSubscriber(isp: TestIsp): Promise<string> {
  const token = await tokenOf(isp);
  subscriberCount += 1;
  const plan = await kiunga().request('POST', '/api/v1/plans', {
    token,
    body: {
      name: `Home ${subscriberCount}`,
      kind: 'pppoe',
      priceCents: 150_000,
      billingCycleMonths: 1,
      rateUpKbps: 2_000,
      rateDownKbps: 5_000,
    },
  });
  const created = await kiunga().request('POST', '/api/v1/subscribers', {
    token,
    body: { username: `trial-${subscriberCount}`, password: 'trial-secret-1', planId: plan.body.id },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function invoicesOf(isp: TestIsp, subscriberId: string) {
  return isp.database.all<{ periodStart: number; totalCents: number; lines: string }>(
    'SELECT period_start AS "periodStart", total_cents AS "totalCents", lines FROM invoices WHERE subscriber_id = ? ORDER BY period_start',
    [subscriberId],
  );
}

async function runInvoices(isp: TestIsp): Promise<void> {
  await runTenantInvoices(isp.database, isp.tenantId, kiunga().clock.now());
}

describe('a subscriber on trial', () => {
  it('gets no invoice while the trial runs, then is billed from the trial’s end (bill)', async () => {
    const { ispA } = kiunga();
    kiunga().clock.set(TEST_START_MS);
    const subscriberId = await createSubscriber(ispA);
    const trial = await kiunga().request('POST', `/api/v1/subscribers/${subscriberId}/trial`, {
      token: await tokenOf(ispA),
      body: { days: 14 },
    });
    expect(trial.status).toBe(201);
    const trialEndsAt = TEST_START_MS + 14 * DAY_MS;
    expect(trial.body).toEqual({ subscriberId, trialEndsAt, isInTrial: true, endAction: 'bill' });

    kiunga().clock.set(trialEndsAt - 60_000);
    await runInvoices(ispA);
    expect(await invoicesOf(ispA, subscriberId)).toEqual([]);

    kiunga().clock.set(trialEndsAt + DAY_MS);
    await runInvoices(ispA);
    const invoices = await invoicesOf(ispA, subscriberId);
    expect(invoices).toHaveLength(1);
    // Billed from the trial's end (15 March, 09:00 in Nairobi): the free days are not on the bill.
    const lines = JSON.parse(invoices[0]?.lines ?? '[]') as Array<{ kind: string; description: string }>;
    expect(lines).toEqual([
      expect.objectContaining({
        kind: 'proration_charge',
        description: expect.stringContaining('2030-03-15 to 2030-03-31 (17 of 31 days)'),
      }),
    ]);
    expect(Number(invoices[0]?.totalCents)).toBeLessThan(150_000);
    const view = await kiunga().request('GET', `/api/v1/subscribers/${subscriberId}/trial`, {
      token: await tokenOf(ispA),
    });
    expect(view.body).toMatchObject({ trialEndsAt, isInTrial: false });

    // Billed once: a trial now would come after the first bill.
    const late = await kiunga().request('POST', `/api/v1/subscribers/${subscriberId}/trial`, {
      token: await tokenOf(ispA),
      body: { days: 7 },
    });
    expect(late.status).toBe(409);
  });

  it('expires at the trial’s end and is never billed when the ISP chooses "expire" (console page)', async () => {
    const { ispA } = kiunga();
    kiunga().clock.set(TEST_START_MS + 40 * DAY_MS);
    const session = await kiunga().signIn(ispA.ownerEmail);
    expect((await kiunga().page(session, '/isp/trials')).html).toContain('PPPoE trials');
    const saved = await kiunga().page(session, '/isp/trials', { endAction: 'expire' });
    expect(saved.status).toBe(303);
    const read = await kiunga().request('GET', '/api/v1/settings/trials', { token: await tokenOf(ispA) });
    expect(read.body).toEqual({ endAction: 'expire' });
    const subscriberId = await createSubscriber(ispA);
    const startMs = kiunga().clock.now();
    const trial = await kiunga().request('POST', `/api/v1/subscribers/${subscriberId}/trial`, {
      token: await tokenOf(ispA),
      body: { days: 7 },
    });
    expect(trial.body.endAction).toBe('expire');
    const subscriber = await kiunga().request('GET', `/api/v1/subscribers/${subscriberId}`, {
      token: await tokenOf(ispA),
    });
    expect(subscriber.body.expiresAt).toBe(startMs + 7 * DAY_MS);

    kiunga().clock.set(startMs + 45 * DAY_MS);
    await runInvoices(ispA);
    expect(await invoicesOf(ispA, subscriberId)).toEqual([]);
  });

  it('refuses a trial longer than 90 days or for an unknown subscriber, and keeps each ISP’s setting', async () => {
    const { ispA, ispB } = kiunga();
    const subscriberId = await createSubscriber(ispA);
    const tooLong = await kiunga().request('POST', `/api/v1/subscribers/${subscriberId}/trial`, {
      token: await tokenOf(ispA),
      body: { days: 91 },
    });
    expect(tooLong.status).toBe(400);
    // ISP B cannot put ISP A's subscriber on trial: it does not exist there.
    const elsewhere = await kiunga().request('POST', `/api/v1/subscribers/${subscriberId}/trial`, {
      token: await tokenOf(ispB),
      body: { days: 7 },
    });
    expect(elsewhere.status).toBe(404);
    const bSettings = await kiunga().request('GET', '/api/v1/settings/trials', {
      token: await tokenOf(ispB),
    });
    expect(bSettings.body).toEqual({ endAction: 'bill' });
  });
});
