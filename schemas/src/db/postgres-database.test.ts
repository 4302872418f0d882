// The SqlDatabase contract on a real PostgreSQL (Debian's package, started for this file), and what
// only PostgreSQL has: search_path per connection, NOTIFY, serializable retries, nodes racing.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archivedTenantSchemaName, PostgresDatabases } from './postgres-databases';
import { SchemaMissingError } from './postgres-pool';
import type { SqlDatabase } from './sql-database';
import { describeSqlDatabaseContract } from './sql-database.contract';
import { type PostgresServer, startPostgresServer } from './testing/postgres-server';

let server: PostgresServer;
let databaseSequence = 0;

beforeAll(async () => {
  server = await startPostgresServer();
});
afterAll(async () => {
  await server?.stop();
});

describeSqlDatabaseContract('PostgreSQL', {
  open: async () => {
    databaseSequence++;
    const url = await server.createDatabase(`contract_${databaseSequence}`);
    return PostgresDatabases.open({ url });
  },
  isArchivedDataKept: async (databases, tenantId) => {
    const rows = await (databases as PostgresDatabases).pool.pool.query(
      `SELECT COUNT(*) AS count FROM ${'"' + archivedTenantSchemaName(tenantId) + '"'}.items`,
    );
    return rows.rows[0]?.count === 1;
  },
  primaryKeyConstraint: 'items_pkey',
});

describe('PostgreSQL specifics', () => {
  let databases: PostgresDatabases;
  let url: string;

  beforeAll(async () => {
    url = await server.createDatabase('specifics');
    databases = await PostgresDatabases.open({ url, connectionsMax: 1 });
    await databases.createTenant('ten_first');
    await databases.createTenant('ten_second');
  });
  afterAll(async () => {
    await databases?.close();
  });

  it('sets a connection’s search_path only when it switches schema', async () => {
    const client = await databases.pool.pool.connect();
    const query = client.query.bind(client);
    let pathChanges = 0;
    client.query = ((...args: Parameters<typeof query>) => {
      if (String(typeof args[0] === 'string' ? args[0] : '').includes("set_config('search_path'"))
        pathChanges++;
      return query(...args);
    }) as typeof client.query;
    client.release();
    const first = databases.forTenant('ten_first');
    const second = databases.forTenant('ten_second');
    await first.get('SELECT 1 AS one');
    await first.get('SELECT 1 AS one');
    await first.transaction(async (transaction) => transaction.get('SELECT 1 AS one'));
    expect(pathChanges).toBe(1);
    await second.get('SELECT 1 AS one');
    await first.get('SELECT 1 AS one');
    expect(pathChanges).toBe(3);
  });

  it('bumps change_generation and notifies kiunga_changes with the schema, on commit only', async () => {
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    const payloads: string[] = [];
    listener.on('notification', (message) => payloads.push(message.payload ?? ''));
    await listener.query('LISTEN kiunga_changes');
    const tenant = databases.forTenant('ten_first');
    const insertPlan = (database: SqlDatabase, id: string) =>
      database.run(
        `INSERT INTO plans (id, name, kind, price_cents, rate_up_kbps, rate_down_kbps, created_at, updated_at)
           VALUES (?, 'Daily', 'hotspot', 5000, 1024, 2048, 1, 1)`,
        [id],
      );
    await tenant
      .transaction(async (transaction) => {
        await insertPlan(transaction, 'pln_rolled_back');
        throw new Error('roll back');
      })
      .catch(() => {});
    await insertPlan(tenant, 'pln_committed');
    await tenant.run(`UPDATE plans SET name = 'Weekly'`);
    // A round trip on the listening connection delivers whatever was sent before it.
    await listener.query('SELECT 1');
    await listener.end();
    expect(payloads).toEqual(['tenant_ten_first', 'tenant_ten_first']);
    expect(await tenant.column(`SELECT value FROM change_generation WHERE name = 'auth'`)).toEqual([2]);
    expect(await databases.forTenant('ten_second').column('SELECT value FROM change_generation')).toEqual([
      0,
    ]);
  });

  it('retries serializable transactions so that two nodes lose no increment', async () => {
    const nodes = [databases, await PostgresDatabases.open({ url, connectionsMax: 4 })];
    const counter = nodes[0]?.forTenant('ten_second') as SqlDatabase;
    await counter.run(`INSERT INTO billing_counters (name, value) VALUES ('race', 0)`);
    const increment = (node: PostgresDatabases) =>
      node.forTenant('ten_second').transaction(
        async (transaction) => {
          const [value] = await transaction.column<number>(
            `SELECT value FROM billing_counters WHERE name = 'race'`,
          );
          await transaction.run(`UPDATE billing_counters SET value = ? WHERE name = 'race'`, [
            (value ?? 0) + 1,
          ]);
        },
        { isolation: 'serializable' },
      );
    const increments = Array.from({ length: 6 }, () => nodes.map(increment)).flat();
    await Promise.all(increments);
    await nodes[1]?.close();
    expect(await counter.column(`SELECT value FROM billing_counters WHERE name = 'race'`)).toEqual([12]);
  });

  it('lets two nodes migrate the same fresh database at once', async () => {
    const freshUrl = await server.createDatabase('two_nodes');
    const nodes = await Promise.all([
      PostgresDatabases.open({ url: freshUrl }),
      PostgresDatabases.open({ url: freshUrl }),
    ]);
    await Promise.all(nodes.map((node) => node.createTenant('ten_raced')));
    expect(
      await nodes[0]?.forTenant('ten_raced').column('SELECT COUNT(*) FROM __drizzle_migrations'),
    ).toEqual([3]);
    await Promise.all(nodes.map((node) => node.close()));
  });

  it('reads averages as numbers and refuses a tenant schema that does not exist', async () => {
    expect(await databases.platform.get('SELECT AVG(x) AS average FROM (VALUES (1), (2)) AS v (x)')).toEqual({
      average: 1.5,
    });
    await expect(databases.forTenant('ten_never_created').get('SELECT 1 AS one')).rejects.toBeInstanceOf(
      SchemaMissingError,
    );
  });
});
