// Which database a test's data dir uses: SQLite files in it (the default), or, with
// KIUNGA_TEST_DATABASE=postgres, a PostgreSQL database of its own on this test file's throwaway server.
// The spawned ./kiunga (seed, start) and the in-process harness both reach it through KIUNGA_DATABASE_URL.
import { createTestDatabaseUrl, testBackend } from '@kiunga/schemas/testing';

const databaseUrls = new Map<string, Promise<string>>();

/** KIUNGA_DATABASE_URL of a data dir in a PostgreSQL run (made on first ask); undefined on SQLite. */
export function databaseUrlFor(dataDir: string): Promise<string | undefined> {
  if (testBackend() === 'sqlite') return Promise.resolve(undefined);
  let url = databaseUrls.get(dataDir);
  if (!url) {
    url = createTestDatabaseUrl();
    databaseUrls.set(dataDir, url);
  }
  return url;
}

/** The environment a ./kiunga command on this data dir needs: KIUNGA_DATABASE_URL in a PostgreSQL run. */
export async function databaseEnvironmentFor(dataDir: string): Promise<NodeJS.ProcessEnv> {
  const url = await databaseUrlFor(dataDir);
  return url ? { KIUNGA_DATABASE_URL: url } : {};
}
