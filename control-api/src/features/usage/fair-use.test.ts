// Fair use in process: plan fields validated (all three or none, no faster than the plan); past the
// threshold the metering job's fair-use step sends the live session a CoA-Request with the throttled
// Mikrotik-Rate-Limit once and records the state the next login reads; a new cycle (usage back under
// the threshold) restores the plan's rate; ISP B's state is untouched.
import { insertOf, tenantSchema } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idleAaaControl, openTwoIspApp, type TwoIspApp } from '../../kernel/testing/in-process-app';
import { applyFairUse, FAIR_USE_SUBJECTS_PER_TURN } from './fair-use.job';
import { METERING_SETTLE_MS, meterTenantAccounting } from './metering.job';

const MEGABYTE = 1_048_576;
let testApp: TwoIspApp;
let voucher: { id: string; code: string };
const rateChanges: Array<{ sessionId: string; rateLimit: string }> = [];

const FAIR_USE_PLAN = {
  name: 'Day pass, fair use',
  kind: 'hotspot',
  priceCents: 5_000,
  validitySeconds: 86_400,
  rateUpKbps: 2_000,
  rateDownKbps: 4_000,
  fupThresholdBytes: 20 * MEGABYTE,
  fupRateUpKbps: 256,
  fupRateDownKbps: 512,
};

beforeAll(async () => {
  testApp = await openTwoIspApp({
    aaa: idleAaaControl({
      listSessions: async (tenantId) =>
        tenantId === testApp.ispA.tenantId && voucher
          ? [
              {
                sessionId: 'ses_live',
                tenantId,
                nasId: 'nas_1',
                acctSessionId: 'acct-1',
                username: voucher.code,
                subjectKind: 'voucher',
                subjectId: voucher.id,
                callingStationId: 'aa:bb:cc:00:00:01',
                framedIp: '10.5.50.2',
                startedAtMs: 0,
                lastUpdateMs: 0,
                inputOctets: 0,
                outputOctets: 0,
              },
            ]
          : [],
      changeSessionRate: async (_tenantId, sessionId, rateLimit) => {
        rateChanges.push({ sessionId, rateLimit });
        return { outcome: 'ack' };
      },
    }),
  });
  const plan = await testApp.ispA.request('POST', '/api/v1/plans', FAIR_USE_PLAN);
  expect(plan.status).toBe(201);
  const planId = ((await plan.json()) as { id: string }).id;
  const created = await testApp.ispA.request('POST', '/api/v1/vouchers', { planId, count: 1 });
  voucher = ((await created.json()) as { items: Array<{ id: string; code: string }> }).items[0]!;
});

afterAll(async () => {
  await testApp?.close();
});

async function logInterim(atMs: number, seconds: number, totalOctets: number) {
  const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
  const row = insertOf(tenantSchema.accountingLog, {
    receivedAt: atMs,
    nasId: 'nas_1',
    statusType: 3,
    acctSessionId: 'acct-1',
    username: voucher.code,
    inputOctets: 0,
    outputOctets: totalOctets,
    sessionTimeSeconds: seconds,
  });
  await database.run(row.sql, row.params);
}

describe('fair use', () => {
  it('refuses plan fields that are not all three, or a throttle faster than the plan', async () => {
    const partial = await testApp.ispA.request('POST', '/api/v1/plans', {
      ...FAIR_USE_PLAN,
      fupRateDownKbps: undefined,
    });
    expect(partial.status).toBe(400);
    const faster = await testApp.ispA.request('POST', '/api/v1/plans', {
      ...FAIR_USE_PLAN,
      fupRateDownKbps: 8_000,
    });
    expect(faster.status).toBe(400);
    const pricing = await testApp.ispA.request('POST', '/api/v1/plans', {
      ...FAIR_USE_PLAN,
      includedBytes: 0,
    });
    expect(pricing.status).toBe(400);
  });

  it('lets the event loop turn while it checks many subjects (the AAA server shares it when embedded)', async () => {
    const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
    const subjects = new Set(
      Array.from({ length: 2 * FAIR_USE_SUBJECTS_PER_TURN + 50 }, (_, index) => `voucher:vch_none_${index}`),
    );
    let turns = 0;
    let isChecking = true;
    const countTurns = async () => {
      while (isChecking) {
        await new Promise((resolve) => setImmediate(resolve));
        turns += 1;
      }
    };
    const counting = countTurns();
    const changes = await applyFairUse(
      database,
      testApp.dependencies.aaa,
      testApp.ispA.tenantId,
      subjects,
      testApp.clock.now(),
    );
    isChecking = false;
    await counting;
    expect(changes).toEqual([]);
    // Each check's reads resolve at once: without a yield every 100 subjects, not one turn passed.
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it('throttles live sessions by CoA past the threshold, once, and restores the rate in a new cycle', async () => {
    const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
    const nowMs = testApp.clock.now();
    const session = insertOf(tenantSchema.sessions, {
      id: 'ses_live',
      nasId: 'nas_1',
      acctSessionId: 'acct-1',
      username: voucher.code,
      subjectKind: 'voucher',
      subjectId: voucher.id,
      startedAt: nowMs - 3_600_000,
      updatedAt: nowMs,
      interimIntervalSeconds: 300,
    });
    await database.run(session.sql, session.params);
    await logInterim(nowMs - 3_600_000, 0, 0);
    await logInterim(nowMs - 1_800_000, 1_800, 10 * MEGABYTE);
    let metered = await meterTenantAccounting(database, nowMs);
    expect(
      await applyFairUse(
        database,
        testApp.dependencies.aaa,
        testApp.ispA.tenantId,
        metered.touchedSubjects,
        nowMs,
      ),
    ).toEqual([]);
    expect(rateChanges).toEqual([]);

    await logInterim(nowMs - METERING_SETTLE_MS, 3_540, 25 * MEGABYTE);
    metered = await meterTenantAccounting(database, nowMs);
    const changes = await applyFairUse(
      database,
      testApp.dependencies.aaa,
      testApp.ispA.tenantId,
      metered.touchedSubjects,
      nowMs,
    );
    expect(changes).toEqual([
      { subject: `voucher:${voucher.id}`, from: 'normal', to: 'throttled', sessions: 1 },
    ]);
    expect(rateChanges).toEqual([{ sessionId: 'ses_live', rateLimit: '256k/512k' }]);
    expect(
      await database.get(
        'SELECT state, rate_limit AS "rateLimit" FROM fair_use_states WHERE subject_id = ?',
        [voucher.id],
      ),
    ).toEqual({ state: 'throttled', rateLimit: '256k/512k' });
    // Nothing new: no second CoA.
    await applyFairUse(
      database,
      testApp.dependencies.aaa,
      testApp.ispA.tenantId,
      new Set([`voucher:${voucher.id}`]),
      nowMs,
    );
    expect(rateChanges).toHaveLength(1);

    // A new cycle: the usage counted from its start is under the threshold, so the plan's rate returns.
    await database.run('DELETE FROM usage_rollups WHERE dimension_id = ?', [voucher.id]);
    const restored = await applyFairUse(
      database,
      testApp.dependencies.aaa,
      testApp.ispA.tenantId,
      new Set(),
      nowMs,
    );
    expect(restored).toEqual([
      { subject: `voucher:${voucher.id}`, from: 'throttled', to: 'normal', sessions: 1 },
    ]);
    expect(rateChanges[1]?.rateLimit).toMatch(/^2000k\/4000k|^2M\/4M/);
    expect(
      await testApp.dependencies.databases
        .forTenant(testApp.ispB.tenantId)
        .all('SELECT * FROM fair_use_states'),
    ).toEqual([]);
  });
});
