// The SQLite change watch: every commit shows in the shard's wal-index header, whoever made it, and a
// watch that cannot read the header never vouches for anything.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDatabases } from './sqlite-databases';

const TENANT_ID = 'ten_watch';
let dataDir: string;
let databases: SqliteDatabases;
/** Another process: its own connections to the same files. */
let other: SqliteDatabases;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiunga-change-watch-'));
  databases = new SqliteDatabases({ dataDir });
  await databases.createTenant(TENANT_ID);
  other = new SqliteDatabases({ dataDir });
});

afterEach(async () => {
  await other.close();
  await databases.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function addPlanFromAnotherConnection(id: string): Promise<unknown> {
  return other.forTenant(TENANT_ID).run(
    `INSERT INTO plans (id, name, kind, price_cents, rate_up_kbps, rate_down_kbps, created_at, updated_at)
       VALUES (?, 'Plan', 'pppoe', 100, 1, 1, 0, 0)`,
    [id],
  );
}

describe('SqliteChangeWatch', () => {
  it('sees every commit in the wal-index header, whoever made it', async () => {
    const watch = databases.watchChanges(TENANT_ID);
    expect(watch.isUnchangedSinceAccepted()).toBe(false);
    watch.accept(watch.markOfLastCheck());
    expect(watch.isUnchangedSinceAccepted()).toBe(true);
    await addPlanFromAnotherConnection('pln_f');
    expect(watch.isUnchangedSinceAccepted()).toBe(false);
    expect(watch.markOfLastCheck()).not.toBeNull();
    watch.close();
  });

  it('never calls a tenant unchanged when its shard is not open or its wal-index cannot be read', async () => {
    const watch = databases.watchChanges('ten_without_shard');
    expect(watch.isUnchangedSinceAccepted()).toBe(false);
    expect(watch.markOfLastCheck()).toBeNull();
    watch.accept(watch.markOfLastCheck());
    expect(watch.isUnchangedSinceAccepted()).toBe(false);
  });

  it('starts over when the shard was closed and opened again (a new -shm)', async () => {
    const watch = databases.watchChanges(TENANT_ID);
    watch.isUnchangedSinceAccepted();
    watch.accept(watch.markOfLastCheck());
    databases.shards.close(TENANT_ID);
    databases.shards.forTenant(TENANT_ID);
    expect(watch.isUnchangedSinceAccepted()).toBe(false);
    watch.close();
  });
});
