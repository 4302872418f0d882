// /api/v1/plans in process: create hotspot and PPPoE plans, list by kind, edit, delete, the
// validation errors, and ISP B never reading, changing or deleting ISP A's plans.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTwoIspApp, TEST_HOTSPOT_PLAN, type TwoIspApp } from '../../kernel/testing/in-process-app';

interface PlanBody {
  id: string;
  name: string;
  kind: string;
  priceCents: number;
  rateLimit: string;
  billingCycleMonths: number | null;
  isActive: boolean;
}

let testApp: TwoIspApp;

async function errorCodeOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

beforeAll(async () => {
  testApp = await openTwoIspApp();
});

afterAll(async () => {
  await testApp?.close();
});

describe('plans API', () => {
  it('creates a hotspot plan and a PPPoE plan with burst, and lists them by kind', async () => {
    const hotspot = await testApp.ispA.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN);
    expect(hotspot.status).toBe(201);
    expect((await hotspot.json()) as PlanBody).toMatchObject({ kind: 'hotspot', rateLimit: '512k/1024k' });
    const pppoe = await testApp.ispA.request('POST', '/api/v1/plans', {
      name: 'Home 10',
      kind: 'pppoe',
      priceCents: 250_000,
      deviceLimit: 1,
      rateUpKbps: 5_000,
      rateDownKbps: 10_000,
      burstUpKbps: 8_000,
      burstDownKbps: 15_000,
      burstThresholdUpKbps: 4_000,
      burstThresholdDownKbps: 8_000,
      burstTimeSeconds: 16,
    });
    expect(pppoe.status).toBe(201);
    const created = (await pppoe.json()) as PlanBody;
    expect(created.billingCycleMonths).toBe(1);
    expect(created.rateLimit).toBe('5000k/10000k 8000k/15000k 4000k/8000k 16/16');
    const listed = await testApp.ispA.request('GET', '/api/v1/plans?kind=pppoe');
    const items = ((await listed.json()) as { items: PlanBody[] }).items;
    expect(items.map((plan) => plan.id)).toEqual([created.id]);
  });

  it('refuses missing terms, half a burst and a fractional price with validation_failed', async () => {
    const noValidity = await testApp.ispA.request('POST', '/api/v1/plans', {
      ...TEST_HOTSPOT_PLAN,
      validitySeconds: undefined,
    });
    expect(noValidity.status).toBe(400);
    expect(await errorCodeOf(noValidity)).toBe('validation_failed');
    const halfBurst = await testApp.ispA.request('POST', '/api/v1/plans', {
      ...TEST_HOTSPOT_PLAN,
      burstUpKbps: 2_048,
    });
    expect(halfBurst.status).toBe(400);
    const floatPrice = await testApp.ispA.request('POST', '/api/v1/plans', {
      ...TEST_HOTSPOT_PLAN,
      priceCents: 10.5,
    });
    expect(floatPrice.status).toBe(400);
    expect((await testApp.ispA.request('GET', '/api/v1/plans?limit=0')).status).toBe(400);
  });

  it('edits, archives and deletes an unused plan', async () => {
    const plan = (await (
      await testApp.ispA.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN)
    ).json()) as PlanBody;
    const edited = await testApp.ispA.request('PATCH', `/api/v1/plans/${plan.id}`, {
      priceCents: 5_000,
      isActive: false,
    });
    expect(edited.status).toBe(200);
    expect((await edited.json()) as PlanBody).toMatchObject({ priceCents: 5_000, isActive: false });
    expect((await testApp.ispA.request('DELETE', `/api/v1/plans/${plan.id}`)).status).toBe(200);
    expect((await testApp.ispA.request('GET', `/api/v1/plans/${plan.id}`)).status).toBe(404);
  });

  it("keeps ISP A's plans from ISP B: not listed, not found, not changed, not deleted", async () => {
    const plan = (await (
      await testApp.ispA.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN)
    ).json()) as PlanBody;
    const listed = await testApp.ispB.request('GET', '/api/v1/plans');
    expect(((await listed.json()) as { items: PlanBody[] }).items).toEqual([]);
    expect((await testApp.ispB.request('GET', `/api/v1/plans/${plan.id}`)).status).toBe(404);
    const changed = await testApp.ispB.request('PATCH', `/api/v1/plans/${plan.id}`, { priceCents: 1 });
    expect(changed.status).toBe(404);
    expect((await testApp.ispB.request('DELETE', `/api/v1/plans/${plan.id}`)).status).toBe(404);
    const unchanged = await testApp.ispA.request('GET', `/api/v1/plans/${plan.id}`);
    expect(((await unchanged.json()) as PlanBody).priceCents).toBe(3_000);
  });
});
