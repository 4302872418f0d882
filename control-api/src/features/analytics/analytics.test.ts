// GET /api/v1/platform/analytics in process, on both databases: ISPs' phase changes recorded as they
// sign up and as the operator suspends one, turned into MRR, churn, tiers, months and cohorts; CSV;
// the operator's console page; ISP owners refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../identity/tokens';
import { TEST_PASSWORD, type TestIsp, useTestApp } from '../../kernel/testing/in-process-app';
import { createTenantWithOwner } from '../tenants/service';

const kiunga = useTestApp();
const DAY_MS = 24 * 60 * 60 * 1000;
let alpha: TestIsp;
let betaId: string;
let superAdmin: string;
/** Alpha's owner, signed in on 10 April. */
let ownerToken: string;

beforeAll(async () => {
  const { dependencies, clock } = kiunga();
  // 1 March 2030 (TEST_START_MS): a Tier 2 ISP, a Tier 1 ISP and one on trial sign up.
  alpha = await kiunga().createIsp('alpha');
  betaId = (
    await createTenantWithOwner(dependencies, {
      name: 'ISP beta',
      slug: 'beta',
      tier: 'tier1',
      featureChoice: 'hotspot',
      isTrial: false,
      owner: { email: 'owner@beta.example', password: TEST_PASSWORD },
    })
  ).tenantId;
  await createTenantWithOwner(dependencies, {
    name: 'ISP gamma',
    slug: 'gamma',
    tier: 'tier2',
    isTrial: true,
    owner: { email: 'owner@gamma.example', password: TEST_PASSWORD },
  });
  await dependencies.databases.platform.run(
    `INSERT INTO platform_payments (id, tenant_id, provider, provider_transaction_id, amount_cents, paid_currency,
                                    paid_amount_minor, status, received_at, created_at)
     VALUES ('ppay_1', ?, 'mpesa_stk', 'RCPT1', 150000, 'KES', 150000, 'matched', ?, ?)`,
    [alpha.tenantId, clock.now() + DAY_MS, clock.now() + DAY_MS],
  );
  // 10 April: the operator suspends beta.
  clock.advance(40 * DAY_MS);
  superAdmin = await kiunga().superAdminToken();
  ownerToken = await issueAccessToken(dependencies.tokenKey, alpha.ownerId, clock.now());
  const suspended = await kiunga().request('POST', `/api/v1/platform/tenants/${betaId}/suspend`, {
    token: superAdmin,
  });
  expect(suspended.status).toBe(200);
});

afterAll(async () => {});

describe('GET /api/v1/platform/analytics', () => {
  it('computes MRR, churn, tiers, months and cohorts from the recorded phase changes', async () => {
    const { status, body } = await kiunga().request('GET', '/api/v1/platform/analytics?months=2', {
      token: superAdmin,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      mrrCents: 150_000,
      arrCents: 1_800_000,
      activeIsps: 1,
      arpuCents: 150_000,
      // March, the last complete month, began with nobody in good standing.
      churn: { logoRate: 0, revenueRate: 0 },
      // gamma's one-day trial ended in March and it never paid.
      trialConversionRate: 0,
      tiers: { trial: 1, tier1: 0, tier2: 1 },
      cohorts: [{ cohort: '2030-03', signedUp: 3, inGoodStanding: [2, 1] }],
    });
    expect(body.months).toEqual([
      {
        month: '2030-03',
        mrrCents: 200_000,
        newIsps: 3,
        churnedIsps: 0,
        logoChurnRate: 0,
        revenueChurnRate: 0,
        revenueCents: 150_000,
      },
      {
        month: '2030-04',
        mrrCents: 150_000,
        newIsps: 0,
        churnedIsps: 1,
        logoChurnRate: 0.5,
        revenueChurnRate: 0.25,
        revenueCents: 0,
      },
    ]);
  });

  it('answers the months as CSV', async () => {
    const { status, body } = await kiunga().request('GET', '/api/v1/platform/analytics?months=2&format=csv', {
      token: superAdmin,
    });
    expect(status).toBe(200);
    const lines = String(body).split('\r\n');
    expect(lines[0]).toContain('month');
    expect(lines[1]).toContain('2030-03');
    expect(lines[2]).toContain('2030-04');
  });

  it('refuses an ISP owner and a months value out of range', async () => {
    expect((await kiunga().request('GET', '/api/v1/platform/analytics', { token: ownerToken })).status).toBe(
      403,
    );
    const tooMany = await kiunga().request('GET', '/api/v1/platform/analytics?months=37', {
      token: superAdmin,
    });
    expect(tooMany.status).toBe(400);
  });

  it('shows the operator the page with the chart and the cohort table', async () => {
    const session = await kiunga().signIn('root@platform.example', TEST_PASSWORD);
    const page = await kiunga().page(session, '/platform/analytics?months=2');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<svg');
    expect(page.html).toMatch(/data-figure="MRR"[^>]*><b>Ksh 1,500<\/b>/);
    expect(page.html).toContain('<td>2030-03</td><td>3</td><td>2</td><td>1</td>');
  });
});
