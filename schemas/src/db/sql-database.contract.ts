// The cases every SqlDatabase/Databases implementation must pass, run by one test file per backend,
// so that a store written and tested on SQLite behaves the same on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Databases,
  type SqlDatabase,
  TransactionAbortedError,
  UniqueViolationError,
} from './sql-database';
import { SqlValueError } from './sql-values';

export interface ContractBackend {
  /** Fresh, empty storage with the platform migrated. */
  open(): Promise<Databases>;
  /** True when the archived tenant's data is kept where the backend archives it. */
  isArchivedDataKept(databases: Databases, tenantId: string): Promise<boolean>;
  /** The constraint name the backend reports for a violation of `items` primary key. */
  primaryKeyConstraint: string | null;
}

const LARGEST_SAFE = 9_007_199_254_740_991;
const CONCURRENT_INCREMENTS = 50;

let tenantSequence = 0;

/** A table every case can use: text key, a unique name, an amount, a 0/1 flag. */
async function createItems(database: SqlDatabase): Promise<void> {
  await database.run(
    `CREATE TABLE items (id TEXT PRIMARY KEY, name TEXT NOT NULL, amount BIGINT NOT NULL DEFAULT 0,
       is_done INTEGER NOT NULL DEFAULT 0)`,
  );
  await database.run('CREATE UNIQUE INDEX items_name_unique ON items (name)');
}

async function insertItem(database: SqlDatabase, id: string, amount = 0): Promise<void> {
  await database.run('INSERT INTO items (id, name, amount) VALUES (?, ?, ?)', [id, `name ${id}`, amount]);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

export function describeSqlDatabaseContract(label: string, backend: ContractBackend): void {
  describe(`SqlDatabase contract: ${label}`, () => {
    let databases: Databases;

    beforeAll(async () => {
      databases = await backend.open();
    });
    afterAll(async () => {
      await databases?.close();
    });

    async function freshTenant(): Promise<{ tenantId: string; database: SqlDatabase }> {
      tenantSequence++;
      const tenantId = `ten_contract${tenantSequence}`;
      await databases.createTenant(tenantId);
      const database = databases.forTenant(tenantId);
      await createItems(database);
      return { tenantId, database };
    }

    it('binds ? placeholders but leaves ? inside literals, quoted names and comments alone', async () => {
      const { database } = await freshTenant();
      await database.run(`INSERT INTO items (id, name) VALUES (?, 'what? it''s ?') -- really?`, ['a']);
      const row = await database.get<{ name: string; q: string }>(
        `SELECT name, '?' AS "q?" FROM items /* any ? here */ WHERE id = ? AND name LIKE '%?%'`,
        ['a'],
      );
      expect(row).toEqual({ name: "what? it's ?", 'q?': '?' });
    });

    it('answers all, get, column and run with the rows and changes a caller expects', async () => {
      const { database } = await freshTenant();
      for (const [id, amount] of [
        ['b', 20],
        ['a', 10],
        ['c', 30],
      ] as const)
        await insertItem(database, id, amount);
      expect(await database.all('SELECT id, amount FROM items ORDER BY id')).toEqual([
        { id: 'a', amount: 10 },
        { id: 'b', amount: 20 },
        { id: 'c', amount: 30 },
      ]);
      expect(await database.get('SELECT id FROM items WHERE amount > ? ORDER BY id', [15])).toEqual({
        id: 'b',
      });
      expect(await database.get('SELECT id FROM items WHERE amount > ?', [99])).toBeUndefined();
      expect(await database.column('SELECT id FROM items ORDER BY amount DESC')).toEqual(['c', 'b', 'a']);
      expect(await database.column('SELECT COUNT(*) FROM items')).toEqual([3]);
      expect(await database.run('UPDATE items SET amount = amount + 1 WHERE amount >= ?', [20])).toEqual({
        changes: 2,
      });
      expect(await database.run('DELETE FROM items WHERE id = ?', ['zzz'])).toEqual({ changes: 0 });
      expect(await database.column('SELECT SUM(amount) FROM items')).toEqual([62]);
    });

    it('returns rows from INSERT and UPDATE … RETURNING', async () => {
      const { database } = await freshTenant();
      const inserted = await database.get(
        'INSERT INTO items (id, name, amount) VALUES (?, ?, ?) RETURNING id, amount',
        ['r', 'returned', 7],
      );
      expect(inserted).toEqual({ id: 'r', amount: 7 });
      const updated = await database.all('UPDATE items SET amount = amount * 2 RETURNING amount');
      expect(updated).toEqual([{ amount: 14 }]);
    });

    it('does nothing or updates on conflict, and counts only what changed', async () => {
      const { database } = await freshTenant();
      await insertItem(database, 'k', 1);
      const ignored = await database.run(
        'INSERT INTO items (id, name, amount) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
        ['k', 'other', 5],
      );
      expect(ignored.changes).toBe(0);
      const upserted = await database.run(
        `INSERT INTO items (id, name, amount) VALUES (?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET amount = excluded.amount`,
        ['k', 'other', 5],
      );
      expect(upserted.changes).toBe(1);
      expect(await database.get('SELECT name, amount FROM items WHERE id = ?', ['k'])).toEqual({
        name: 'name k',
        amount: 5,
      });
    });

    it('round-trips the largest safe integer and refuses anything it cannot hold exactly', async () => {
      const { database } = await freshTenant();
      await insertItem(database, 'max', LARGEST_SAFE);
      expect(await database.column('SELECT amount FROM items WHERE amount = ?', [LARGEST_SAFE])).toEqual([
        LARGEST_SAFE,
      ]);
      await insertItem(database, 'one', 1);
      expect(await rejection(database.column('SELECT SUM(amount) FROM items'))).toBeInstanceOf(SqlValueError);
      expect(await rejection(database.get('SELECT 9007199254740993 AS v'))).toBeInstanceOf(SqlValueError);
      expect(await rejection(insertItem(database, 'over', LARGEST_SAFE + 1))).toBeInstanceOf(SqlValueError);
      expect(await rejection(insertItem(database, 'half', 1.5))).toBeInstanceOf(SqlValueError);
      expect(await database.column('SELECT id FROM items ORDER BY id')).toEqual(['max', 'one']);
    });

    it('stores booleans as 0/1 integers and refuses JavaScript booleans', async () => {
      const { database } = await freshTenant();
      await insertItem(database, 'flag');
      await database.run('UPDATE items SET is_done = ? WHERE id = ?', [1, 'flag']);
      expect(await database.get('SELECT is_done FROM items')).toEqual({ is_done: 1 });
      expect(await database.column('SELECT id FROM items WHERE is_done = 1')).toEqual(['flag']);
      const boolean = true as unknown as number;
      expect(await rejection(database.run('UPDATE items SET is_done = ?', [boolean]))).toBeInstanceOf(
        SqlValueError,
      );
    });

    it('commits a transaction that resolves and rolls back one that throws, re-throwing its error', async () => {
      const { database } = await freshTenant();
      const result = await database.transaction(async (transaction) => {
        await insertItem(transaction, 'kept');
        return 'done';
      });
      expect(result).toBe('done');
      const failure = new Error('work failed');
      const error = await rejection(
        database.transaction(async (transaction) => {
          await insertItem(transaction, 'lost');
          throw failure;
        }),
      );
      expect(error).toBe(failure);
      expect(await database.column('SELECT id FROM items')).toEqual(['kept']);
    });

    it('nests transactions as savepoints: an inner failure undoes only the inner work', async () => {
      const { database } = await freshTenant();
      await database.transaction(async (outer) => {
        await insertItem(outer, 'outer');
        await outer.transaction(async (inner) => insertItem(inner, 'inner kept'));
        const innerError = await rejection(
          outer.transaction(async (inner) => {
            await insertItem(inner, 'inner lost');
            await inner.transaction(async (deepest) => insertItem(deepest, 'deepest lost'));
            throw new Error('inner failed');
          }),
        );
        expect(innerError).toEqual(new Error('inner failed'));
        await insertItem(outer, 'outer after');
      });
      expect(await database.column('SELECT id FROM items ORDER BY id')).toEqual([
        'inner kept',
        'outer',
        'outer after',
      ]);
      await rejection(
        database.transaction(async (outer) => {
          await outer.transaction(async (inner) => insertItem(inner, 'nested then outer fails'));
          throw new Error('outer failed');
        }),
      );
      expect(await database.column('SELECT COUNT(*) FROM items')).toEqual([3]);
    });

    it('commits only after a nested transaction that work forgot to await has finished', async () => {
      const { database } = await freshTenant();
      await database.transaction(async (transaction) => {
        void transaction.transaction(async (nested) => {
          await insertItem(nested, 'first');
          await insertItem(nested, 'second');
        });
      });
      expect(await database.column('SELECT id FROM items ORDER BY id')).toEqual(['first', 'second']);
    });

    it('maps unique and primary-key violations to UniqueViolationError', async () => {
      const { database } = await freshTenant();
      await insertItem(database, 'u');
      const duplicateKey = await rejection(insertItem(database, 'u'));
      expect(duplicateKey).toBeInstanceOf(UniqueViolationError);
      expect((duplicateKey as UniqueViolationError).constraint).toBe(backend.primaryKeyConstraint);
      const duplicateName = await rejection(
        database.run('INSERT INTO items (id, name) VALUES (?, ?)', ['other', 'name u']),
      );
      expect(duplicateName).toBeInstanceOf(UniqueViolationError);
    });

    it('aborts a transaction after a failed statement; a nested transaction recovers from one', async () => {
      const { database } = await freshTenant();
      await insertItem(database, 'taken');
      const swallowed = await rejection(
        database.transaction(async (transaction) => {
          await insertItem(transaction, 'would be lost');
          await insertItem(transaction, 'taken').catch(() => {});
          expect(await rejection(transaction.get('SELECT 1 AS one'))).toBeInstanceOf(TransactionAbortedError);
          return 'resolved anyway';
        }),
      );
      expect(swallowed).toBeInstanceOf(TransactionAbortedError);
      await database.transaction(async (transaction) => {
        const duplicate = await rejection(
          transaction.transaction(async (nested) => insertItem(nested, 'taken')),
        );
        expect(duplicate).toBeInstanceOf(UniqueViolationError);
        await insertItem(transaction, 'after recovery');
      });
      expect(await database.column('SELECT id FROM items ORDER BY id')).toEqual(['after recovery', 'taken']);
    });

    it('serialises concurrent transactions: no increment is lost', async () => {
      const { database } = await freshTenant();
      await insertItem(database, 'counter', 0);
      const increment = () =>
        database.transaction(async (transaction) => {
          const [value] = await transaction.column<number>('SELECT amount FROM items WHERE id = ?', [
            'counter',
          ]);
          await transaction.run('UPDATE items SET amount = ? WHERE id = ?', [(value ?? 0) + 1, 'counter']);
        });
      await Promise.all(Array.from({ length: CONCURRENT_INCREMENTS }, increment));
      expect(await database.column('SELECT amount FROM items')).toEqual([CONCURRENT_INCREMENTS]);
    });

    it('never shows a rolled-back write to a reader outside the transaction', async () => {
      const { database } = await freshTenant();
      const transaction = database.transaction(async (inside) => {
        await insertItem(inside, 'uncommitted');
        await inside.get('SELECT COUNT(*) AS count FROM items');
        throw new Error('roll back');
      });
      const outsideCount = database.column('SELECT COUNT(*) FROM items');
      await rejection(transaction);
      expect(await outsideCount).toEqual([0]);
    });

    it('refuses the database itself inside its own transaction, and a handle after its transaction', async () => {
      const { database } = await freshTenant();
      let escaped: SqlDatabase | undefined;
      await database.transaction(async (transaction) => {
        escaped = transaction;
        await expect(database.get('SELECT 1 AS one')).rejects.toThrow(/use the handle given to work/);
        await expect(database.transaction(async () => 1)).rejects.toThrow(/use the handle given to work/);
        await transaction.transaction(async () => {
          await expect(transaction.get('SELECT 1 AS one')).rejects.toThrow(/use the handle given to work/);
          await expect(transaction.transaction(async () => 1)).rejects.toThrow(
            /use the handle given to work/,
          );
        });
      });
      await expect(escaped?.get('SELECT 1 AS one')).rejects.toThrow(/has ended/);
    });

    it("keeps tenants apart: same-named tables never see each other's rows", async () => {
      const first = await freshTenant();
      const second = await freshTenant();
      await insertItem(first.database, 'first only');
      await first.database.run(
        `INSERT INTO plans (id, name, kind, price_cents, rate_up_kbps, rate_down_kbps, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ['pln_1', 'Daily', 'hotspot', 5000, 1024, 2048, 1, 1],
      );
      expect(await second.database.column('SELECT id FROM items')).toEqual([]);
      expect(await second.database.column('SELECT id FROM plans')).toEqual([]);
      expect(await first.database.column('SELECT is_active FROM plans')).toEqual([1]);
      expect(await databases.forTenant(first.tenantId).column('SELECT id FROM items')).toEqual([
        'first only',
      ]);
    });

    it('archives a tenant: refused afterwards, data kept, other tenants untouched', async () => {
      const archived = await freshTenant();
      const other = await freshTenant();
      await insertItem(archived.database, 'archived row');
      await insertItem(other.database, 'other row');
      await databases.archiveTenant(archived.tenantId);
      expect(() => databases.forTenant(archived.tenantId)).toThrow(/archived/);
      await expect(databases.createTenant(archived.tenantId)).rejects.toThrow(/archived/);
      expect(await backend.isArchivedDataKept(databases, archived.tenantId)).toBe(true);
      expect(await other.database.column('SELECT id FROM items')).toEqual(['other row']);
    });

    it('tells which tenants have a database: created yes, never created or archived no', async () => {
      const created = await freshTenant();
      const archived = await freshTenant();
      await databases.archiveTenant(archived.tenantId);
      expect(await databases.hasTenant(created.tenantId)).toBe(true);
      expect(await databases.hasTenant(`ten_never${tenantSequence}`)).toBe(false);
      expect(await databases.hasTenant(archived.tenantId)).toBe(false);
    });

    it('migrates every served tenant the platform lists', async () => {
      tenantSequence++;
      const tenantId = `ten_contract${tenantSequence}`;
      await databases.platform.run(
        `INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
        [tenantId, `slug-${tenantId}`, 'Listed ISP', 1, 1],
      );
      await databases.migrateAll();
      const generation = await databases
        .forTenant(tenantId)
        .column(`SELECT value FROM change_generation WHERE name = 'auth'`);
      expect(generation).toEqual([0]);
    });
  });
}
