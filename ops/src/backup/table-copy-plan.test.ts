// The copy plan from the drizzle definitions: every table of each kind, parents before children.
import { platformTables, tenantTables } from '@kiunga/schemas';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { tablesToCopy } from './table-copy-plan';

describe('tablesToCopy', () => {
  for (const [kind, module] of [
    ['platform', platformTables],
    ['tenant', tenantTables],
  ] as const) {
    it(`lists every ${kind} table once, each after the tables its foreign keys reference`, () => {
      const definitions = Object.values(module).filter((value): value is SQLiteTable =>
        is(value, SQLiteTable),
      );
      const plan = tablesToCopy(kind);
      expect(plan.map((table) => table.name).sort()).toEqual(
        definitions.map((table) => getTableConfig(table).name).sort(),
      );
      const position = new Map(plan.map((table, index) => [table.name, index]));
      for (const definition of definitions) {
        const config = getTableConfig(definition);
        for (const key of config.foreignKeys) {
          const parent = getTableConfig(key.reference().foreignTable).name;
          expect(position.get(parent)!).toBeLessThan(position.get(config.name)!);
        }
      }
    });
  }

  it('knows the identity columns whose sequences must follow the copied ids', () => {
    const ledger = tablesToCopy('tenant').find((table) => table.name === 'ledger_entries');
    expect(ledger).toMatchObject({ primaryKey: ['id'], identityColumn: 'id' });
    const vouchers = tablesToCopy('tenant').find((table) => table.name === 'vouchers');
    expect(vouchers).toMatchObject({ primaryKey: ['id'], identityColumn: null });
    expect(tablesToCopy('tenant').findIndex((table) => table.name === 'plans')).toBeLessThan(
      tablesToCopy('tenant').findIndex((table) => table.name === 'vouchers'),
    );
  });
});
