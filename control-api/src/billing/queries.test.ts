// The invoice list on a real tenant database (SQLite, or PostgreSQL with KIUNGA_TEST_DATABASE=postgres):
// newest first by issue time, then by number, page after page.
import { useTestDatabases } from '@kiunga/schemas/testing';
import { describe, expect, it } from 'vitest';
import { eat } from './core/test-fixtures';
import { listInvoices } from './queries';
import { runTenantInvoices } from './store';

const testDatabases = useTestDatabases();

describe('listInvoices', () => {
  it('lists newest first by issue date, then number, the same through every page', async () => {
    const tenantId = 'tnt_order';
    const database = await testDatabases().createTenantDatabase(tenantId);
    await database.run(
      `INSERT INTO plans (id, name, kind, price_cents, billing_cycle_months, rate_up_kbps, rate_down_kbps, created_at, updated_at)
       VALUES ('pln_home', 'Home', 'pppoe', 150000, 1, 5000, 5000, 0, 0)`,
    );
    // Ids sort the other way from signup, and one subscriber is three cycles behind (a catch-up run).
    const subscribers: Array<[string, number]> = [
      ['sub_c', eat(2026, 1, 5, 9)],
      ['sub_b', eat(2026, 3, 2, 9)],
      ['sub_a', eat(2026, 3, 3, 9)],
    ];
    for (const [id, createdAt] of subscribers) {
      await database.run(
        `INSERT INTO subscribers (id, username, password_sealed, plan_id, account_number, kind, status, created_at, updated_at)
         VALUES (?, ?, 'sealed', 'pln_home', ?, 'pppoe', 'active', ?, ?)`,
        [id, id, id.toUpperCase(), createdAt, createdAt],
      );
    }
    await runTenantInvoices(database, tenantId, eat(2026, 3, 4, 1));
    await runTenantInvoices(database, tenantId, eat(2026, 4, 1, 1));

    const all = (await listInvoices(database, { limit: 100 })).items;
    expect(all.map((invoice) => invoice.number)).toEqual([
      'INV-2026-000008',
      'INV-2026-000007',
      'INV-2026-000006',
      'INV-2026-000005',
      'INV-2026-000004',
      'INV-2026-000003',
      'INV-2026-000002',
      'INV-2026-000001',
    ]);
    expect(all.map((invoice) => invoice.issuedAt)).toEqual([
      ...Array(3).fill(eat(2026, 4, 1, 1)),
      ...Array(5).fill(eat(2026, 3, 4, 1)),
    ]);

    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listInvoices(database, { limit: 3, cursor });
      paged.push(...page.items.map((invoice) => invoice.number));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(all.map((invoice) => invoice.number));

    const mine = (await listInvoices(database, { limit: 100, subscriberId: 'sub_c' })).items;
    expect(mine.map((invoice) => invoice.cycleKey)).toEqual([
      '2026-04-01',
      '2026-03-01',
      '2026-02-01',
      '2026-01-01',
    ]);
  });
});
