// Platform billing's owner API in-process (app.request() on test databases, no server): the account
// view, the tier choice (its notice names the fee constant), the lists and their validation, and that
// one ISP's choice and notices stay its own.
import { formatKsh } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTwoIspApp, type TwoIspApp } from '../kernel/testing/in-process-app';
import { TIER2_MONTHLY_FEE_CENTS } from './core/tiers';

let testApp: TwoIspApp;

beforeAll(async () => {
  testApp = await openTwoIspApp();
  // ISP A on Tier 1 (hotspot), as an ISP below the revenue threshold is; ISP B stays on Tier 2.
  await testApp.dependencies.databases.platform.run(
    `UPDATE tenants SET tier = 'tier1', feature_choice = 'hotspot' WHERE id = ?`,
    [testApp.ispA.tenantId],
  );
});
afterAll(() => testApp.close());

interface AccountView {
  tier: string;
  featureChoice: string | null;
  optedTier2: boolean;
  notices: { kind: string; message: string }[];
}

async function jsonOf<Body>(response: Response, status: number): Promise<Body> {
  const text = await response.text();
  expect([response.status, text]).toEqual([status, text]);
  return JSON.parse(text) as Body;
}

describe('platform billing API', () => {
  it('shows the ISP its account and empty charge and payment lists, refusing a bad limit', async () => {
    const { ispA } = testApp;
    const account = await jsonOf<AccountView>(await ispA.request('GET', '/api/v1/platform-billing'), 200);
    expect(account).toMatchObject({ tier: 'tier1', featureChoice: 'hotspot', optedTier2: false });
    expect(await jsonOf(await ispA.request('GET', '/api/v1/platform-billing/charges'), 200)).toEqual({
      items: [],
    });
    expect(await jsonOf(await ispA.request('GET', '/api/v1/platform-billing/payments?limit=5'), 200)).toEqual(
      {
        items: [],
      },
    );
    const refused = await jsonOf<{ error: { code: string } }>(
      await ispA.request('GET', '/api/v1/platform-billing/payments?limit=0'),
      400,
    );
    expect(refused.error.code).toBe('validation_failed');
  });

  it('moves to Tier 2 with a notice naming the monthly fee, and back to following revenue', async () => {
    const { ispA } = testApp;
    const chosen = await jsonOf<AccountView>(
      await ispA.request('POST', '/api/v1/platform-billing/tier', { tier: 'tier2' }),
      200,
    );
    expect(chosen).toMatchObject({ tier: 'tier2', optedTier2: true });
    expect(chosen.notices.map((notice) => notice.message)).toContain(
      `You chose Tier 2: ${formatKsh(TIER2_MONTHLY_FEE_CENTS)} a month from your next month, all features including SMS, from now.`,
    );
    const back = await jsonOf<AccountView>(
      await ispA.request('POST', '/api/v1/platform-billing/tier', { tier: 'tier1', featureChoice: 'pppoe' }),
      200,
    );
    expect(back).toMatchObject({ optedTier2: false, featureChoice: 'pppoe' });
    const unknownTier = await jsonOf<{ error: { code: string } }>(
      await ispA.request('POST', '/api/v1/platform-billing/tier', { tier: 'tier3' }),
      400,
    );
    expect(unknownTier.error.code).toBe('validation_failed');
  });

  it('refuses Tier 1 without a feature when the ISP never chose one', async () => {
    const refused = await jsonOf<{ error: { code: string; message: string } }>(
      await testApp.ispB.request('POST', '/api/v1/platform-billing/tier', { tier: 'tier1' }),
      400,
    );
    expect(refused.error).toEqual({
      code: 'validation_failed',
      message: 'Tier 1 needs featureChoice: hotspot or pppoe.',
    });
  });

  it('keeps one ISP’s tier choice and notices out of another’s account', async () => {
    const accountOfB = await jsonOf<AccountView>(
      await testApp.ispB.request('GET', '/api/v1/platform-billing'),
      200,
    );
    // B was made on Tier 2 (its account says so from the start); A's choices left it as it was.
    expect(accountOfB).toMatchObject({ tier: 'tier2', featureChoice: null, optedTier2: true });
    expect(accountOfB.notices).toEqual([]);
    const noticesOfB = await jsonOf<{ items: unknown[] }>(
      await testApp.ispB.request('GET', '/api/v1/platform-billing/notices'),
      200,
    );
    expect(noticesOfB.items).toEqual([]);
  });
});
