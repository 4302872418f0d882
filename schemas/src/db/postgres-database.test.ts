// The SqlDatabase contract on a real PostgreSQL (Debian's package, started for this file).
import { afterAll, beforeAll } from 'vitest';
import { archivedTenantSchemaName, PostgresDatabases } from './postgres-databases';
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
