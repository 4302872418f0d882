// The login lookups read fair use (issue 12): a voucher or subscriber whose fair_use_states row says
// throttled logs in with the throttled Mikrotik-Rate-Limit, the plan's otherwise; writing that row
// moves the change generation so a cached lookup is read again. SQLite, or PostgreSQL with
// KIUNGA_TEST_DATABASE=postgres.
import { insertOf, tenantSchema } from '@kiunga/schemas';
import { useTestDatabases } from '@kiunga/schemas/testing';
import { describe, expect, it } from 'vitest';
import { findSubscriberByUsername, findVoucherByCode, readChangeGeneration } from './tenant-records';

const testDatabases = useTestDatabases();

describe('fair use at login', () => {
  it('answers the throttled rate while throttled, and the change generation moves', async () => {
    const database = await testDatabases().createTenantDatabase('ten_fair_use');
    const rows = [
      insertOf(tenantSchema.plans, {
        id: 'plan_1',
        name: 'Home',
        kind: 'pppoe',
        priceCents: 100_000,
        billingCycleMonths: 1,
        rateUpKbps: 2_000,
        rateDownKbps: 4_000,
        fupThresholdBytes: 1_000,
        fupRateUpKbps: 256,
        fupRateDownKbps: 512,
        createdAt: 1,
        updatedAt: 1,
      }),
      insertOf(tenantSchema.vouchers, {
        id: 'vch_1',
        code: 'ABC123',
        planId: 'plan_1',
        priceCents: 5_000,
        validitySeconds: 3_600,
        deviceLimit: 1,
        rateLimit: '2000k/4000k',
        createdAt: 1,
      }),
      insertOf(tenantSchema.subscribers, {
        id: 'sub_1',
        username: 'wanjiku',
        passwordSealed: 'sealed',
        planId: 'plan_1',
        accountNumber: '1000001',
        kind: 'pppoe',
        createdAt: 1,
        updatedAt: 1,
      }),
    ];
    for (const row of rows) await database.run(row.sql, row.params);
    expect((await findVoucherByCode(database, 'ABC123'))?.rateLimit).toBe('2000k/4000k');
    const planRate = (await findSubscriberByUsername(database, 'wanjiku'))?.rateLimit;

    const before = await readChangeGeneration(database);
    for (const [kind, id] of [
      ['voucher', 'vch_1'],
      ['subscriber', 'sub_1'],
    ]) {
      const state = insertOf(tenantSchema.fairUseStates, {
        subjectKind: kind,
        subjectId: id,
        state: 'throttled',
        rateLimit: '256k/512k',
        cycleStart: 0,
        updatedAt: 2,
      });
      await database.run(state.sql, state.params);
    }
    expect(await readChangeGeneration(database)).toBeGreaterThan(before);
    expect((await findVoucherByCode(database, 'ABC123'))?.rateLimit).toBe('256k/512k');
    expect((await findSubscriberByUsername(database, 'wanjiku'))?.rateLimit).toBe('256k/512k');

    await database.run(`UPDATE fair_use_states SET state = 'normal', rate_limit = NULL`);
    expect((await findVoucherByCode(database, 'ABC123'))?.rateLimit).toBe('2000k/4000k');
    expect((await findSubscriberByUsername(database, 'wanjiku'))?.rateLimit).toBe(planRate);
  });
});
