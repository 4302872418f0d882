// /api/v1/vouchers in process: a batch on a hotspot plan, search, CSV, revoke with its disconnects,
// the validation errors, and ISP B never reading or revoking ISP A's vouchers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idleAaaControl, openTestApp, TEST_HOTSPOT_PLAN, type TestApp } from '../../kernel/test-app';

interface VoucherBatch {
  batchId: string;
  codes: string[];
  items: Array<{ id: string; code: string; status: string; rateLimit: string }>;
}

let testApp: TestApp;
const disconnectedSessions: string[] = [];
let batch: VoucherBatch;
let planId: string;

beforeAll(async () => {
  testApp = await openTestApp({
    // One live session on ISP A's first voucher, so a revoke has something to disconnect.
    aaa: idleAaaControl({
      listSessions: async (tenantId) =>
        tenantId === testApp.ispA.tenantId && batch
          ? [
              {
                sessionId: 'ses_live',
                tenantId,
                nasId: 'nas_1',
                acctSessionId: 'acct-1',
                username: batch.codes[0] ?? '',
                subjectKind: 'voucher',
                subjectId: batch.items[0]?.id ?? '',
                callingStationId: 'AA:BB:CC:DD:EE:FF',
                framedIp: '10.5.50.2',
                startedAtMs: 0,
                lastUpdateMs: 0,
                inputOctets: 0,
                outputOctets: 0,
              },
            ]
          : [],
      disconnectSession: async (_tenantId, sessionId) => {
        disconnectedSessions.push(sessionId);
        return { outcome: 'ack' };
      },
    }),
  });
  const plan = await testApp.ispA.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN);
  planId = ((await plan.json()) as { id: string }).id;
  const created = await testApp.ispA.request('POST', '/api/v1/vouchers', { planId, count: 5, prefix: 'ka' });
  expect(created.status).toBe(201);
  batch = (await created.json()) as VoucherBatch;
});

afterAll(async () => {
  await testApp?.close();
});

describe('vouchers API', () => {
  it("creates a batch with the plan's terms, codes from the look-alike-free alphabet", () => {
    expect(batch.codes).toHaveLength(5);
    expect(new Set(batch.codes).size).toBe(5);
    for (const code of batch.codes) expect(code).toMatch(/^KA[23456789ABCDEFGHJKMNPQRSTUVWXYZ]+$/);
    expect(batch.items[0]).toMatchObject({ status: 'unused', rateLimit: '512k/1024k' });
  });

  it('lists by batch and by code prefix, and exports the batch as CSV', async () => {
    const listed = await testApp.ispA.request('GET', `/api/v1/vouchers?batchId=${batch.batchId}&limit=3`);
    const page = (await listed.json()) as { items: unknown[]; nextCursor: string | null };
    expect(page.items).toHaveLength(3);
    expect(page.nextCursor).toEqual(expect.any(String));
    const code = batch.codes[2] ?? '';
    const search = await testApp.ispA.request('GET', `/api/v1/vouchers?q=${code.toLowerCase()}`);
    expect(
      ((await search.json()) as { items: Array<{ code: string }> }).items.map((item) => item.code),
    ).toEqual([code]);
    const csv = await testApp.ispA.request('GET', `/api/v1/vouchers/export.csv?batchId=${batch.batchId}`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^code,status,planId/);
    expect(lines).toHaveLength(6);
  });

  it("prints the batch's sheet in the ISP's name with the plan and every code", async () => {
    const sheet = await testApp.ispA.request('GET', `/api/v1/vouchers/print?batchId=${batch.batchId}`);
    expect(sheet.status).toBe(200);
    const html = await sheet.text();
    expect(html).toContain('ISP isp-a');
    expect(html).toContain('Ksh 30');
    for (const code of batch.codes) expect(html).toContain(code);
  });

  it('refuses a bad batch, an unknown plan and a bad status filter with the house errors', async () => {
    const planless = await testApp.ispA.request('POST', '/api/v1/vouchers', { count: 1 });
    expect(planless.status).toBe(400);
    expect(((await planless.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    const tooMany = await testApp.ispA.request('POST', '/api/v1/vouchers', { planId, count: 10_001 });
    expect(tooMany.status).toBe(400);
    const unknownPlan = await testApp.ispA.request('POST', '/api/v1/vouchers', {
      planId: 'pln_nope',
      count: 1,
    });
    expect(unknownPlan.status).toBe(404);
    expect((await testApp.ispA.request('GET', '/api/v1/vouchers?status=bogus')).status).toBe(400);
  });

  it('revokes a voucher and disconnects its live session', async () => {
    const voucher = batch.items[0];
    const revoked = await testApp.ispA.request('POST', `/api/v1/vouchers/${voucher?.id}/revoke`);
    expect(revoked.status).toBe(200);
    const body = (await revoked.json()) as { status: string; disconnected: { sessions: number } };
    expect(body.status).toBe('revoked');
    expect(body.disconnected.sessions).toBe(1);
    expect(disconnectedSessions).toEqual(['ses_live']);
    const fetched = await testApp.ispA.request('GET', `/api/v1/vouchers/${voucher?.id}`);
    expect(((await fetched.json()) as { status: string }).status).toBe('revoked');
  });

  it("keeps ISP A's vouchers from ISP B: not listed, not found, not revocable", async () => {
    const voucher = batch.items[1];
    const listed = await testApp.ispB.request('GET', '/api/v1/vouchers');
    expect(((await listed.json()) as { items: unknown[] }).items).toEqual([]);
    expect((await testApp.ispB.request('GET', `/api/v1/vouchers/${voucher?.id}`)).status).toBe(404);
    expect((await testApp.ispB.request('POST', `/api/v1/vouchers/${voucher?.id}/revoke`)).status).toBe(404);
    expect(
      (await testApp.ispB.request('GET', `/api/v1/vouchers/export.csv?batchId=${batch.batchId}`)).status,
    ).toBe(404);
    const printed = await testApp.ispB.request('GET', `/api/v1/vouchers/print?batchId=${batch.batchId}`);
    expect(printed.status).toBe(404);
    const stillUnused = await testApp.ispA.request('GET', `/api/v1/vouchers/${voucher?.id}`);
    expect(((await stillUnused.json()) as { status: string }).status).toBe('unused');
  });
});
