// The console's SMS page in process: compose shows the preview's count and cost (also as JSON for the
// live preview), Send makes the campaign and lands on its page with its messages; the tab is Tier 2's.
import { insertOf, tenantSchema } from '@kiunga/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, TEST_HOTSPOT_PLAN, type TwoIspApp, useTwoIspApp } from '../../kernel/testing/in-process-app';

const open = useTwoIspApp('sms-console');
let testApp: TwoIspApp;

beforeAll(async () => {
  testApp = open();
  const created = await testApp.ispA.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN);
  const planId = (await jsonOf<{ id: string }>(created)).id;
  const nowMs = testApp.clock.now();
  for (const [index, phone] of ['0712000001', '0712000002', 'not a phone'].entries()) {
    const row = insertOf(tenantSchema.subscribers, {
      id: `sub_console_${index}`,
      username: `console${index}`,
      passwordSealed: 'unused',
      planId,
      accountNumber: `CON${index}`,
      kind: 'pppoe',
      status: 'active',
      fullName: `Client ${index}`,
      phone,
      createdAt: nowMs + index,
      updatedAt: nowMs,
    });
    await testApp.ispA.database.run(row.sql, row.params);
  }
});

describe('the SMS console page', () => {
  it('previews the count and cost, then sends and shows the campaign’s messages', async () => {
    const browser = await testApp.signIn(testApp.ispA.ownerEmail);
    const empty = await testApp.page(browser, '/isp/sms');
    expect(empty.status).toBe(200);
    expect(empty.html).toContain('No campaign yet.');

    const previewed = await testApp.page(browser, `/isp/sms?template=${encodeURIComponent('Hi {{name}}')}`);
    expect(previewed.html).toContain(
      '2 messages to send (3 clients, 1 skipped), 2 SMS parts, about Ksh 1.60',
    );
    const live = await browser.get(`/isp/sms/preview.json?template=${encodeURIComponent('Hi {{nme}}')}`);
    expect(((await live.json()) as { error: string }).error).toMatch(/\{\{nme\}\} is not a variable/);

    const sent = await testApp.page(browser, '/isp/sms/campaigns', {
      name: 'Hello',
      template: 'Hi {{name}}',
    });
    expect(sent.status).toBe(303);
    const campaignPage = await testApp.page(browser, sent.location!);
    expect(campaignPage.html).toContain('0 of 2 done; 1 clients skipped');
    expect(campaignPage.html).toContain('Hi Client 1');
    expect(campaignPage.html).toContain('+254712000002');
    const listed = await testApp.page(browser, '/isp/sms');
    expect(listed.html).toContain('Hello</a>');
  });

  it('is refused to a Tier 1 ISP, naming Tier 2', async () => {
    await testApp.dependencies.databases.platform.run(
      `UPDATE tenants SET tier = 'tier1', feature_choice = 'hotspot' WHERE id = ?`,
      [testApp.ispB.tenantId],
    );
    const browser = await testApp.signIn(testApp.ispB.ownerEmail);
    const page = await testApp.page(browser, '/isp/sms');
    expect(page.status).toBe(403);
    expect(page.html).toContain('Tier 2');
  });
});
