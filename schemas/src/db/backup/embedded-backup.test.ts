// Embedded backups and restores on real SQLite files: what a backup holds, the modes it gets, the
// verification a restore does first, and a copy taken while another connection keeps writing.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { openPlatformDatabase } from '../../database';
import { ShardRegistry } from '../../shard-registry';
import { listBackups } from './backup-directory';
import { digestFile } from './backup-files';
import { backupEmbedded } from './embedded-backup';
import { BackupError } from './errors';
import { MANIFEST_FILE, verifyBackup } from './manifest';
import { migrationJournal } from './migration-ids';
import { restoreBackup } from './restore';

const START_MS = Date.UTC(2030, 2, 14, 7, 0, 0, 123);
let root: string;
let dataDir: string;
let backupRoot: string;
let clock: ManualClock;

/** A platform with two served tenants and one archived, each shard holding a row to recognise. */
function seedDataDir(): void {
  const platform = openPlatformDatabase(dataDir);
  const insert = platform.sqlite.prepare(
    `INSERT INTO tenants (id, slug, name, status, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)`,
  );
  for (const [id, status] of [
    ['ten_a', 'active'],
    ['ten_b', 'active'],
    ['ten_old', 'archived'],
  ] as const)
    insert.run(id, id, id, status);
  platform.close();
  const shards = new ShardRegistry({ dataDir });
  for (const tenantId of ['ten_a', 'ten_b', 'ten_old']) {
    shards
      .forTenant(tenantId)
      .sqlite.prepare(`INSERT INTO tenant_settings (key, value, updated_at) VALUES ('owner', ?, 0)`)
      .run(tenantId);
  }
  shards.archive('ten_old');
  shards.closeAll();
}

function settingOf(path: string): string {
  const database = new Database(path, { readonly: true });
  try {
    return (
      database.prepare(`SELECT value FROM tenant_settings WHERE key = 'owner'`).get() as { value: string }
    ).value;
  } finally {
    database.close();
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kiunga-backup-test-'));
  dataDir = join(root, 'data');
  backupRoot = join(root, 'backups');
  clock = new ManualClock(START_MS);
  seedDataDir();
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('embedded backup', () => {
  it('copies the platform and every shard, archived ones too, owner-only, with a manifest written last', async () => {
    const result = await backupEmbedded({ dataDir, root: backupRoot, clock });
    expect(result.name).toBe('20300314T070000.123Z');
    expect(result.manifest.files.map((file) => [file.path, file.kind, file.tenantId ?? null])).toEqual([
      ['platform.db', 'platform', null],
      ['tenants/ten_a.db', 'tenant', 'ten_a'],
      ['tenants/ten_b.db', 'tenant', 'ten_b'],
      ['tenants/archive/ten_old.db', 'archived_tenant', 'ten_old'],
    ]);
    expect(result.manifest).toMatchObject({
      format: 'kiunga-backup',
      formatVersion: 1,
      mode: 'embedded',
      createdAt: '2030-03-14T07:00:00.123Z',
      migrations: { platform: migrationJournal('sqlite', 'platform').newest },
    });
    expect(result.manifest.files[1]?.migration).toBe(migrationJournal('sqlite', 'tenant').newest);
    expect(settingOf(join(result.directory, 'tenants', 'archive', 'ten_old.db'))).toBe('ten_old');
    for (const file of result.manifest.files) {
      expect(statSync(join(result.directory, file.path)).mode & 0o777).toBe(0o600);
    }
    for (const folder of [backupRoot, result.directory, join(result.directory, 'tenants')]) {
      expect(statSync(folder).mode & 0o777).toBe(0o700);
    }
    expect(statSync(join(result.directory, MANIFEST_FILE)).mode & 0o777).toBe(0o600);
    expect(await listBackups(backupRoot)).toEqual([
      expect.objectContaining({ name: result.name, hasManifest: true, startedAtMs: START_MS }),
    ]);
  });

  it('finishes a consistent copy while another connection keeps writing', async () => {
    const shards = new ShardRegistry({ dataDir });
    const shard = shards.forTenant('ten_a').sqlite;
    // Enough pages that the copy takes several steps, so writes land between them.
    const insert = shard.prepare(`INSERT INTO tenant_settings (key, value, updated_at) VALUES (?, ?, ?)`);
    shard.transaction(() => {
      for (let index = 0; index < 80_000; index++) insert.run(`filler-${index}`, 'x'.repeat(200), index);
    })();
    let written = 0;
    const writer = setInterval(() => {
      insert.run(`during-${written}`, 'y', written);
      written++;
    }, 0);
    try {
      const result = await backupEmbedded({ dataDir, root: backupRoot, clock });
      await verifyBackup(result.directory);
      const copy = new Database(join(result.directory, 'tenants', 'ten_a.db'), { readonly: true });
      const rows = copy
        .prepare(`SELECT COUNT(*) AS count FROM tenant_settings WHERE key LIKE 'during-%'`)
        .get() as {
        count: number;
      };
      const keys = copy
        .prepare(`SELECT key FROM tenant_settings WHERE key LIKE 'during-%'`)
        .pluck()
        .all() as string[];
      copy.close();
      // Whatever instant the copy is of, it holds a gap-free prefix of the writes: during-0 … during-(n-1).
      expect(keys.sort()).toEqual(Array.from({ length: rows.count }, (_, index) => `during-${index}`).sort());
      expect(written).toBeGreaterThan(0);
      // Writes landed between steps, SQLite started over, and the growing steps still finished.
      expect(result.restarts).toBeGreaterThan(0);
    } finally {
      clearInterval(writer);
      shards.closeAll();
    }
  });

  it('never includes the master key unless asked', async () => {
    writeFileSync(join(dataDir, 'master.key'), 'a-master-key-of-enough-length\n');
    const result = await backupEmbedded({ dataDir, root: backupRoot, clock });
    expect(result.manifest.files.some((file) => file.kind === 'master_key')).toBe(false);
    expect(JSON.stringify(result.manifest)).not.toContain('a-master-key');
  });
});

describe('verification before restore', () => {
  it('refuses a backup with one byte changed, naming the file', async () => {
    const { directory } = await backupEmbedded({ dataDir, root: backupRoot, clock });
    const path = join(directory, 'tenants', 'ten_b.db');
    const bytes = readFileSync(path);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    const refusal = await restoreBackup({ from: directory, dataDir: join(root, 'restored'), clock }).catch(
      (e) => e,
    );
    expect(refusal).toBeInstanceOf(BackupError);
    expect(refusal.code).toBe('backup_damaged');
    expect(refusal.message).toContain('tenants/ten_b.db: SHA-256 differs');
    expect(refusal.problems).toEqual([
      { subject: 'tenants/ten_b.db', reason: expect.stringContaining('SHA-256') },
    ]);
  });

  it('refuses a missing file, a truncated one, an unknown format version and a folder without manifest', async () => {
    const { directory } = await backupEmbedded({ dataDir, root: backupRoot, clock });
    rmSync(join(directory, 'tenants', 'ten_a.db'));
    writeFileSync(join(directory, 'tenants', 'ten_b.db'), 'short');
    const refusal = await verifyBackup(directory).catch((e) => e);
    expect(refusal.problems.map((problem: { subject: string }) => problem.subject)).toEqual([
      'tenants/ten_a.db',
      'tenants/ten_b.db',
    ]);
    expect(refusal.message).toMatch(/tenants\/ten_a\.db: missing; tenants\/ten_b\.db: 5 bytes/);
    const manifestPath = join(directory, MANIFEST_FILE);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, formatVersion: 2 }));
    expect((await verifyBackup(directory).catch((e) => e)).code).toBe('format_unsupported');
    writeFileSync(
      manifestPath,
      JSON.stringify({ ...manifest, files: [{ ...manifest.files[0], path: '../x' }] }),
    );
    expect((await verifyBackup(directory).catch((e) => e)).code).toBe('manifest_invalid');
    // A tenant entry may only name its own shard's place, never another file of the data directory.
    const misplaced = {
      ...manifest,
      files: [manifest.files[0], { ...manifest.files[1], path: 'master.key' }],
    };
    writeFileSync(manifestPath, JSON.stringify(misplaced));
    const misplacedRefusal = await verifyBackup(directory).catch((e) => e);
    expect(misplacedRefusal.code).toBe('manifest_invalid');
    expect(misplacedRefusal.message).toMatch(
      /a tenant file belongs at tenants\/ten_a\.db in embedded mode, not master\.key/,
    );
    rmSync(manifestPath);
    expect((await verifyBackup(directory).catch((e) => e)).code).toBe('manifest_missing');
  });
});

describe('embedded restore', () => {
  it('restores into an empty directory, migrated, and says what it restored', async () => {
    const { directory } = await backupEmbedded({ dataDir, root: backupRoot, clock });
    const target = join(root, 'restored');
    const summary = await restoreBackup({ from: directory, dataDir: target, clock });
    expect(summary).toMatchObject({
      mode: 'embedded',
      tenantIds: ['ten_a', 'ten_b'],
      archivedTenantIds: ['ten_old'],
      masterKey: 'not_in_backup',
      replacedDataDir: null,
    });
    expect(settingOf(join(target, 'tenants', 'ten_a.db'))).toBe('ten_a');
    expect(settingOf(join(target, 'tenants', 'archive', 'ten_old.db'))).toBe('ten_old');
    expect(statSync(join(target, 'platform.db')).mode & 0o777).toBe(0o600);
    expect(statSync(target).mode & 0o777).toBe(0o700);
  });

  it('refuses a non-empty data directory, and with force moves it aside instead of deleting it', async () => {
    const { directory } = await backupEmbedded({ dataDir, root: backupRoot, clock });
    const refusal = await restoreBackup({ from: directory, dataDir, clock }).catch((e) => e);
    expect(refusal.code).toBe('target_not_empty');
    clock.advance(60_000);
    const summary = await restoreBackup({ from: directory, dataDir, clock, force: true });
    expect(summary.replacedDataDir).toBe(`${dataDir}.replaced-20300314T070100.123Z`);
    expect(settingOf(join(summary.replacedDataDir!, 'tenants', 'ten_b.db'))).toBe('ten_b');
    expect(settingOf(join(dataDir, 'tenants', 'ten_b.db'))).toBe('ten_b');
  });

  it('undoes a restore that fails after verifying: the data dir moved aside comes back, a new one goes', async () => {
    const { directory } = await backupEmbedded({ dataDir, root: backupRoot, clock });
    // A shard that is not a database, under a manifest rewritten to match it: it verifies, then the
    // migrations refuse to open it, after the platform and other shards were already written.
    const shardPath = join(directory, 'tenants', 'ten_b.db');
    writeFileSync(shardPath, 'not a database, but the manifest says so');
    const manifestPath = join(directory, MANIFEST_FILE);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const digest = await digestFile(shardPath);
    for (const file of manifest.files) if (file.path === 'tenants/ten_b.db') Object.assign(file, digest);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    await verifyBackup(directory);

    const forced = await restoreBackup({ from: directory, dataDir, clock, force: true }).catch((e) => e);
    expect(forced.message).toMatch(/not a database/);
    expect(settingOf(join(dataDir, 'tenants', 'ten_b.db'))).toBe('ten_b');
    expect(existsSync(`${dataDir}.replaced-20300314T070000.123Z`)).toBe(false);

    const fresh = join(root, 'restored');
    await expect(restoreBackup({ from: directory, dataDir: fresh, clock })).rejects.toThrow(/not a database/);
    expect(existsSync(fresh)).toBe(false);
  });
});
