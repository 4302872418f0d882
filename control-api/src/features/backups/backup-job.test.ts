// The backup job on real files, travelling in time with a manual clock: one backup a day, keep N,
// and a damaged newest backup never costs the platform its last good one.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listBackups, ManualClock, openPlatformDatabase } from '@kiunga/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBackupJob } from './backup-job';
import { UNFINISHED_BACKUP_GRACE_MS } from './core/retention';

const HOUR_MS = 60 * 60 * 1000;
let root: string;
let dataDir: string;
let backupDir: string;
let clock: ManualClock;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kiunga-backup-job-'));
  dataDir = join(root, 'data');
  backupDir = join(root, 'backups');
  clock = new ManualClock(Date.UTC(2030, 2, 14, 2, 0, 0));
  openPlatformDatabase(dataDir).close();
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const run = (keep: number) =>
  runBackupJob({ settings: { directory: backupDir, keep }, dataDir, databaseUrl: null, clock });

describe('runBackupJob', () => {
  it('backs up once a day and keeps the newest N', async () => {
    const first = await run(3);
    expect(first.created).toBe('20300314T020000.000Z');
    clock.advance(HOUR_MS);
    expect((await run(3)).created).toBeNull();
    for (let day = 1; day <= 4; day++) {
      clock.set(Date.UTC(2030, 2, 14 + day, 2, 0, 0));
      await run(3);
    }
    const names = (await listBackups(backupDir)).map((backup) => backup.name);
    expect(names).toEqual(['20300316T020000.000Z', '20300317T020000.000Z', '20300318T020000.000Z']);
  });

  it('keeps the newest verified backup when the newer ones are damaged, and names them', async () => {
    await run(10);
    for (let day = 1; day <= 3; day++) {
      clock.set(Date.UTC(2030, 2, 14 + day, 2, 0, 0));
      const { created } = await run(10);
      const platform = join(backupDir, created!, 'platform.db');
      const bytes = readFileSync(platform);
      bytes[100] = (bytes[100] ?? 0) ^ 0x01;
      writeFileSync(platform, bytes);
    }
    clock.advance(HOUR_MS);
    const result = await run(2);
    expect(result.created).toBeNull();
    expect(result.newestVerified).toBe('20300314T020000.000Z');
    expect(result.damaged).toEqual(['20300317T020000.000Z', '20300316T020000.000Z', '20300315T020000.000Z']);
    expect(result.deleted).toEqual(['20300315T020000.000Z']);
    expect((await listBackups(backupDir)).map((backup) => backup.name)).toEqual([
      '20300314T020000.000Z',
      '20300316T020000.000Z',
      '20300317T020000.000Z',
    ]);
  });

  it('removes the remains of a backup that died, once past the grace period', async () => {
    await run(2);
    rmSync(join(backupDir, '20300314T020000.000Z', 'manifest.json'));
    clock.advance(UNFINISHED_BACKUP_GRACE_MS + 1);
    const result = await run(2);
    expect(result.created).not.toBeNull();
    expect(result.deleted).toEqual(['20300314T020000.000Z']);
  });
});
