// The ISP console's home page (/isp) in process: counts of what the signed-in ISP runs, each from
// its own rows only, and the live sessions; a visitor without a session is sent to sign in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTwoIspApp, TEST_HOTSPOT_PLAN, type TwoIspApp } from '../../kernel/testing/in-process-app';

let testApp: TwoIspApp;

/** The figure shown for a dashboard label, e.g. "Plans" → "2" (each figure is marked data-figure). */
function figureOf(html: string, label: string): string | undefined {
  return new RegExp(`data-figure="${label}"[^>]*><b>([^<]+)</b>`).exec(html)?.[1];
}

beforeAll(async () => {
  testApp = await openTwoIspApp();
  for (const name of ['Two hours', 'One day']) {
    await testApp.ispA.request('POST', '/api/v1/plans', { ...TEST_HOTSPOT_PLAN, name });
  }
  await testApp.ispA.request('POST', '/api/v1/nas', { name: 'Branch', ipAddress: '10.20.0.1' });
});

afterAll(async () => {
  await testApp?.close();
});

describe('ISP dashboard', () => {
  it("counts the ISP's own plans and routers, linked to their pages", async () => {
    const page = await (await testApp.ispA.openConsole())('/isp');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('href="/isp/plans"');
    expect(figureOf(html, 'Plans')).toBe('2');
    expect(figureOf(html, 'Routers')).toBe('1');
    expect(figureOf(html, 'Online now')).toBe('0');
  });

  it('counts exactly past one API page (205 unused vouchers, not "200+") and shows sales today', async () => {
    const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
    const planId = await database.get<{ id: string }>('SELECT id FROM plans ORDER BY id LIMIT 1');
    const nowMs = testApp.clock.now();
    for (let index = 0; index < 205; index += 1) {
      await database.run(
        `INSERT INTO vouchers (id, code, plan_id, price_cents, validity_seconds, device_limit, rate_limit, status, created_at)
         VALUES (?, ?, ?, 3000, 7200, 2, '512k/1M', 'unused', ?)`,
        [`vch_count_${index}`, `COUNT${index}`, planId?.id ?? '', nowMs],
      );
    }
    await database.run(
      `INSERT INTO payments (id, provider, provider_transaction_id, amount_cents, matched_kind, matched_id, status, received_at)
       VALUES ('pay_today', 'manual', 'today-1', 150000, 'subscriber', 'sub_1', 'matched', ?)`,
      [nowMs],
    );
    const html = await (await (await testApp.ispA.openConsole())('/isp')).text();
    expect(figureOf(html, 'Unused vouchers')).toBe('205');
    expect(figureOf(html, 'Sales today')).toBe('Ksh 1,500');
    const other = await (await (await testApp.ispB.openConsole())('/isp')).text();
    expect(figureOf(other, 'Unused vouchers')).toBe('0');
    expect(figureOf(other, 'Sales today')).toBe('Ksh 0');
  });

  it("shows ISP B none of ISP A's plans or routers", async () => {
    const html = await (await (await testApp.ispB.openConsole())('/isp')).text();
    expect(figureOf(html, 'Plans')).toBe('0');
    expect(figureOf(html, 'Routers')).toBe('0');
  });

  it('sends a visitor without a session to sign in', async () => {
    const response = await testApp.app.request('/isp');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/login/);
  });
});
