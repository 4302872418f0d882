// A consistent copy of one live SQLite database through SQLite's online backup API (better-sqlite3's
// db.backup(), which steps sqlite3_backup_step), read from a separate connection while the server writes.
// SQLite, "Using the SQLite Online Backup API" and sqlite3_backup_step(): the source is read-locked only
// during each step, so writers carry on; a write by another connection restarts the copy at the next
// step. Steps therefore grow after each restart, ending in one step that copies everything under one
// read lock (a WAL reader never blocks writers), so a busy database still finishes.
import { chmod } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { PRIVATE_FILE_MODE } from '../../file-modes';
import { BackupError } from './errors';
import { appliedMigrationTag, type DatabaseKind } from './migration-ids';

/** Pages per step at first: 1,024 pages of 4 KiB is 4 MiB, a few milliseconds of reading. */
export const BACKUP_PAGES_PER_STEP = 1024;
/** Each restart multiplies the step by this, so few restarts reach a step as large as the file. */
const STEP_GROWTH_AFTER_RESTART = 8;
/** After this many restarts the rest is copied in one step (sqlite3_backup_step with a huge count). */
const RESTARTS_BEFORE_ONE_STEP = 4;
/** The largest page count better-sqlite3 passes to sqlite3_backup_step (a 32-bit int). */
const PAGES_ALL = 0x7fffffff;
/** Wait this long for the server's write lock to clear before a step fails (as the server does). */
const BUSY_TIMEOUT_MS = 5_000;

export interface SqliteCopy {
  /** Pages in the copy. */
  readonly pages: number;
  /** How often writers made SQLite start the copy over. */
  readonly restarts: number;
  /** Newest migration applied to the copied database (its tag), null when it has none. */
  readonly migration: string | null;
}

/**
 * Copies `sourcePath` to `destinationPath` (which must not exist) page by page, checks the copy with
 * PRAGMA integrity_check, and makes it owner-only. The source is opened read-only: a backup never
 * writes to the live database.
 */
export async function copySqliteDatabase(
  sourcePath: string,
  destinationPath: string,
  kind: DatabaseKind,
): Promise<SqliteCopy> {
  const source = new Database(sourcePath, { readonly: true, fileMustExist: true });
  let restarts = 0;
  let pages = 0;
  try {
    source.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    let pagesPerStep = BACKUP_PAGES_PER_STEP;
    let lastRemaining = Number.POSITIVE_INFINITY;
    const result = await source.backup(destinationPath, {
      progress: ({ remainingPages }) => {
        if (remainingPages > lastRemaining) {
          restarts++;
          pagesPerStep =
            restarts >= RESTARTS_BEFORE_ONE_STEP ? PAGES_ALL : pagesPerStep * STEP_GROWTH_AFTER_RESTART;
        }
        lastRemaining = remainingPages;
        return pagesPerStep;
      },
    });
    pages = result.totalPages;
  } catch (error) {
    throw new BackupError(
      'tool_failed',
      `copying ${sourcePath} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    source.close();
  }
  await chmod(destinationPath, PRIVATE_FILE_MODE);
  return { pages, restarts, migration: checkCopy(destinationPath, kind) };
}

/** Runs SQLite's integrity check on a copy and reads its newest migration; throws when it is damaged. */
export function checkCopy(path: string, kind: DatabaseKind): string | null {
  const copy = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const findings = copy.pragma('integrity_check') as { integrity_check: string }[];
    if (findings.length !== 1 || findings[0]?.integrity_check !== 'ok') {
      const first = findings
        .slice(0, 3)
        .map((row) => row.integrity_check)
        .join('; ');
      throw new BackupError('integrity_failed', `${path} fails SQLite's integrity check: ${first}`);
    }
    return appliedMigrationTag(newestMigrationAt(copy), 'sqlite', kind);
  } finally {
    copy.close();
  }
}

function newestMigrationAt(database: Database.Database): number | null {
  const hasTable = database
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`)
    .get();
  if (!hasTable) return null;
  const row = database.prepare('SELECT MAX(created_at) AS at FROM __drizzle_migrations').get() as {
    at: number | null;
  };
  return row.at;
}

/** The SQLite library version of this process (recorded in manifests). */
export function sqliteLibraryVersion(): string {
  const memory = new Database(':memory:');
  try {
    return (memory.prepare('SELECT sqlite_version() AS version').get() as { version: string }).version;
  } finally {
    memory.close();
  }
}
