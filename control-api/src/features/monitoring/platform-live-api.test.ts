// GET /api/v1/platform/live in process: rates between two readings of the AAA counters, NAS up/down
// from the alerts, payments in the last minute across ISPs; refused to an ISP owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../identity/tokens';
import { createAccount } from '../../identity/users/service';
import { idleAaaControl, openTwoIspApp, type TwoIspApp } from '../../kernel/testing/in-process-app';

let testApp: TwoIspApp;
let accessRequests = 100;

beforeAll(async () => {
  testApp = await openTwoIspApp({
    aaa: idleAaaControl({
      metricsText: async () =>
        [
          `kiunga_radius_requests_total{kind="access_request",tenant="a"} ${accessRequests}`,
          'kiunga_radius_requests_total{kind="accounting_request",tenant="a"} 50',
          'kiunga_radius_open_sessions{tenant="a"} 17',
        ].join('\n'),
    }),
  });
  await testApp.ispA.request('POST', '/api/v1/nas', { name: 'One', ipAddress: '10.40.0.1' });
  const two = await testApp.ispB.request('POST', '/api/v1/nas', { name: 'Two', ipAddress: '10.40.0.2' });
  const twoId = ((await two.json()) as { id: string }).id;
  await testApp.dependencies.databases.platform.run(
    `INSERT INTO nas_alerts (nas_id, tenant_id, is_raised, raised_at, is_owner_told) VALUES (?, ?, 1, 0, 0)`,
    [twoId, testApp.ispB.tenantId],
  );
  await testApp.dependencies.databases.forTenant(testApp.ispA.tenantId).run(
    `INSERT INTO payments (id, provider, provider_transaction_id, amount_cents, status, received_at)
       VALUES ('pay_live', 'mpesa_c2b', 'LIVE1', 100, 'unmatched', ?)`,
    [testApp.clock.now() - 1_000],
  );
});

afterAll(async () => {
  await testApp?.close();
});

describe('GET /api/v1/platform/live', () => {
  it('gives the operator online clients, request rates, NAS up/down and payments per minute', async () => {
    const admin = await createAccount(
      testApp.dependencies.databases.platform,
      {
        email: 'root@live.test',
        password: 'correct horse battery',
        displayName: 'Root',
        kind: 'super_admin',
        tenantId: null,
      },
      testApp.clock.now(),
    );
    const request = async () => {
      const token = await issueAccessToken(testApp.dependencies.tokenKey, admin, testApp.clock.now());
      const response = await testApp.app.request('/api/v1/platform/live', {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const first = await request();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      onlineClients: 17,
      accessRequestsPerSecond: 0,
      nas: { total: 2, up: 1, down: 1 },
      paymentsPerMinute: 1,
    });
    accessRequests = 400;
    testApp.clock.advance(10_000);
    const second = await request();
    expect(second.body).toMatchObject({
      accessRequestsPerSecond: 30,
      accountingPerSecond: 0,
      paymentsPerMinute: 1,
    });
  });

  it('refuses an ISP owner', async () => {
    expect((await testApp.ispA.request('GET', '/api/v1/platform/live')).status).toBe(403);
  });
});
