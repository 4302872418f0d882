import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPlatformDatabase } from './database';
import { tightenDataDirectory } from './file-modes';
import { ShardRegistry } from './shard-registry';

/** A common default umask, under which files would otherwise be created readable by everyone. */
const PERMISSIVE_UMASK = 0o022;

let scratch: string;
let umaskBefore: number;

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

beforeAll(() => {
  umaskBefore = process.umask(PERMISSIVE_UMASK);
});

afterAll(() => {
  process.umask(umaskBefore);
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('data files are created owner-only, whatever the umask', () => {
  it('gives the platform database, a shard, their -wal/-shm and the archive 0600 files in 0700 folders', () => {
    scratch = mkdtempSync(join(tmpdir(), 'kiunga-modes-'));
    const dataDir = join(scratch, 'data');
    const platform = openPlatformDatabase(dataDir);
    const shards = new ShardRegistry({ dataDir });
    try {
      const shard = shards.forTenant('ten_modes');
      shard.sqlite.exec('CREATE TABLE IF NOT EXISTS probe (x INTEGER); INSERT INTO probe VALUES (1);');
      const files = [
        join(dataDir, 'platform.db'),
        join(dataDir, 'platform.db-wal'),
        join(dataDir, 'platform.db-shm'),
        join(dataDir, 'tenants', 'ten_modes.db'),
        join(dataDir, 'tenants', 'ten_modes.db-wal'),
        join(dataDir, 'tenants', 'ten_modes.db-shm'),
      ];
      for (const file of files) expect([file, modeOf(file)]).toEqual([file, 0o600]);
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(join(dataDir, 'tenants'))).toBe(0o700);
      const archived = shards.archive('ten_modes');
      expect(archived).not.toBeNull();
      expect(modeOf(join(dataDir, 'tenants', 'archive'))).toBe(0o700);
      expect(modeOf(archived!)).toBe(0o600);
    } finally {
      shards.closeAll();
      platform.close();
    }
  });
});

describe('tightenDataDirectory', () => {
  it('takes group and other access off every file and folder, and leaves what links point at alone', () => {
    scratch = mkdtempSync(join(tmpdir(), 'kiunga-modes-'));
    const dataDir = join(scratch, 'data');
    mkdirSync(join(dataDir, 'tenants', 'archive'), { recursive: true, mode: 0o755 });
    mkdirSync(join(dataDir, 'backups', '2026-01-01'), { recursive: true, mode: 0o775 });
    const files = {
      [join(dataDir, 'platform.db')]: 0o644,
      [join(dataDir, 'platform.db-wal')]: 0o644,
      [join(dataDir, 'master.key')]: 0o640,
      [join(dataDir, 'demo.json')]: 0o666,
      [join(dataDir, 'tenants', 'ten_a.db')]: 0o644,
      [join(dataDir, 'tenants', 'archive', 'ten_b.db')]: 0o604,
      [join(dataDir, 'backups', '2026-01-01', 'platform.db')]: 0o644,
    };
    for (const [file, mode] of Object.entries(files)) {
      writeFileSync(file, '');
      chmodSync(file, mode);
    }
    chmodSync(dataDir, 0o755);
    const outside = join(scratch, 'outside.txt');
    writeFileSync(outside, '');
    chmodSync(outside, 0o644);
    symlinkSync(outside, join(dataDir, 'link-to-outside'));

    expect(tightenDataDirectory(dataDir)).toEqual([]);

    for (const file of Object.keys(files)) expect([file, modeOf(file)]).toEqual([file, 0o600]);
    for (const directory of [
      dataDir,
      join(dataDir, 'tenants'),
      join(dataDir, 'tenants', 'archive'),
      join(dataDir, 'backups'),
      join(dataDir, 'backups', '2026-01-01'),
    ]) {
      expect([directory, modeOf(directory)]).toEqual([directory, 0o700]);
    }
    expect(modeOf(outside)).toBe(0o644);
  });

  it('keeps the owner bits it finds, and says nothing of a data directory that does not exist yet', () => {
    scratch = mkdtempSync(join(tmpdir(), 'kiunga-modes-'));
    const script = join(scratch, 'hook.sh');
    writeFileSync(script, '');
    chmodSync(script, 0o755);
    expect(tightenDataDirectory(scratch)).toEqual([]);
    expect(modeOf(script)).toBe(0o700);
    expect(existsSync(join(scratch, 'missing'))).toBe(false);
    expect(tightenDataDirectory(join(scratch, 'missing'))).toEqual([]);
  });
});
