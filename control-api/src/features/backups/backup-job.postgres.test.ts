// The backup job in scaled mode: pg_dump of every schema into the backup root, verified, pruned.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, PostgresDatabases, readManifest } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgresServer } from '../../../../schemas/src/db/testing/postgres-server';
import { runBackupJob } from './backup-job';

const DAY_MS = 24 * 60 * 60 * 1000;
let server: PostgresServer;
let root: string;
let databaseUrl: string;

beforeAll(async () => {
  server = await startPostgresServer();
  root = mkdtempSync(join(tmpdir(), 'kiunga-backup-job-pg-'));
  databaseUrl = await server.createDatabase('scaled');
  const databases = await PostgresDatabases.open({ url: databaseUrl });
  try {
    await databases.platform.run(
      `INSERT INTO tenants (id, slug, name, status, created_at, updated_at) VALUES ('ten_pg', 'pg', 'PG', 'active', 0, 0)`,
    );
    await databases.createTenant('ten_pg');
  } finally {
    await databases.close();
  }
});

afterAll(async () => {
  await server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('runBackupJob in scaled mode', () => {
  it('dumps the platform and each tenant schema, keeps N and verifies the newest', async () => {
    const clock = new ManualClock(Date.UTC(2030, 2, 14, 2, 0, 0));
    const directory = join(root, 'backups');
    const run = () =>
      runBackupJob({ settings: { directory, keep: 1 }, dataDir: join(root, 'unused'), databaseUrl, clock });
    const first = await run();
    const manifest = await readManifest(join(directory, first.created!));
    expect(manifest.mode).toBe('scaled');
    expect(manifest.files.map((file) => file.path)).toEqual(['platform.dump', 'tenants/ten_pg.dump']);
    clock.advance(DAY_MS);
    const second = await run();
    expect(second.newestVerified).toBe(second.created);
    expect(second.deleted).toEqual([first.created]);
  });
});
