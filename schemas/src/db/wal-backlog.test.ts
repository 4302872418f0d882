import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { walFramesNotCheckpointed } from './wal-backlog';

const directories: string[] = [];

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function walDatabase(): { path: string; connection: Database.Database } {
  const directory = mkdtempSync(join(tmpdir(), 'kiunga-wal-backlog-'));
  directories.push(directory);
  const path = join(directory, 'shard.db');
  const connection = new Database(path);
  connection.pragma('journal_mode = WAL');
  connection.pragma('wal_autocheckpoint = 0');
  connection.exec('CREATE TABLE t (x INTEGER)');
  return { path, connection };
}

describe('walFramesNotCheckpointed', () => {
  it('counts the frames committed since the last checkpoint, and none after one', () => {
    const { path, connection } = walDatabase();
    try {
      connection.pragma('wal_checkpoint(PASSIVE)');
      expect(walFramesNotCheckpointed(path)).toBe(0);
      connection.prepare('INSERT INTO t VALUES (?)').run(1);
      connection.prepare('INSERT INTO t VALUES (?)').run(2);
      const waiting = walFramesNotCheckpointed(path);
      expect(waiting).toBeGreaterThanOrEqual(2);
      const [result] = connection.pragma('wal_checkpoint(PASSIVE)') as Array<{
        log: number;
        checkpointed: number;
      }>;
      expect(result?.log).toBeGreaterThanOrEqual(waiting ?? 0);
      expect(walFramesNotCheckpointed(path)).toBe(0);
    } finally {
      connection.close();
    }
  });

  it('answers null for a database without a -shm file', () => {
    expect(walFramesNotCheckpointed(join(tmpdir(), 'kiunga-no-such-shard.db'))).toBeNull();
  });
});
