// What an end-to-end test reads or changes in a data dir's databases directly, as an operator with a
// SQL shell would: through the data layer, on its own connections, so that the same test works on
// SQLite files and on PostgreSQL (test-database.ts). Aliases that are not all lower case are quoted.
import { type Databases, openDatabases, type SqlValue } from '@kiunga/schemas';
import { databaseUrlFor } from './test-database';

/** Opens the data dir's databases (SQLite files, or the test's PostgreSQL database); the caller closes them. */
export async function openDataDirDatabases(dataDir: string): Promise<Databases> {
  const databaseUrl = await databaseUrlFor(dataDir);
  return openDatabases({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
}

/** Opens the data dir's databases for `work`, then closes them. */
export async function withDatabases<Result>(
  dataDir: string,
  work: (databases: Databases) => Promise<Result>,
): Promise<Result> {
  const databases = await openDataDirDatabases(dataDir);
  try {
    return await work(databases);
  } finally {
    await databases.close();
  }
}

/** The first row a query of one tenant's database gives, or undefined. */
export function queryTenant<Row>(
  dataDir: string,
  tenantId: string,
  sql: string,
  ...parameters: SqlValue[]
): Promise<Row | undefined> {
  return withDatabases(dataDir, (databases) => databases.forTenant(tenantId).get<Row>(sql, parameters));
}

/** Runs a statement on one tenant's database; how many rows it changed. */
export function changeTenant(
  dataDir: string,
  tenantId: string,
  sql: string,
  ...parameters: SqlValue[]
): Promise<number> {
  return withDatabases(
    dataDir,
    async (databases) => (await databases.forTenant(tenantId).run(sql, parameters)).changes,
  );
}

/** Runs a statement on the platform database; how many rows it changed. */
export function changePlatform(dataDir: string, sql: string, ...parameters: SqlValue[]): Promise<number> {
  return withDatabases(dataDir, async (databases) => (await databases.platform.run(sql, parameters)).changes);
}
