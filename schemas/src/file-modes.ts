// Owner-only modes for the data directory: it holds voucher codes, phone numbers, CSRF tokens, raw
// payment callbacks and the master key, which no other local account may read.
import { chmodSync, lstatSync, mkdirSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** Databases and their -wal/-shm, demo.json, master.key, backups: read and write by the owner only. */
export const PRIVATE_FILE_MODE = 0o600;
/** The data directory, tenants/, tenants/archive/: the owner only. */
export const PRIVATE_DIRECTORY_MODE = 0o700;
/** The process umask of every kiunga command: whatever it creates has no group or other bits. */
export const PRIVATE_UMASK = 0o077;
const GROUP_AND_OTHER_BITS = 0o077;
/**
 * The data directory is three levels deep (tenants/archive/<id>.db); a backup kept inside it adds a
 * few. Deeper than this is not Kiunga's layout, and the walk stops rather than wander.
 */
const DATA_DIRECTORY_DEPTH_MAX = 8;

/** Creates `path` (and missing parents) owner-only; an existing directory is left as it is. */
export function makePrivateDirectory(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
}

/** A file or directory that kept group/other access, and why (e.g. owned by another account). */
export interface LooseEntry {
  path: string;
  reason: string;
}

function tightenEntry(path: string, stats: Stats, loose: LooseEntry[]): void {
  if ((stats.mode & GROUP_AND_OTHER_BITS) === 0) return;
  try {
    chmodSync(path, stats.mode & 0o7777 & ~GROUP_AND_OTHER_BITS);
  } catch (error) {
    loose.push({ path, reason: error instanceof Error ? error.message : String(error) });
  }
}

function tightenTree(path: string, depth: number, loose: LooseEntry[]): void {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch {
    return; // Removed meanwhile (a -wal closed by another process).
  }
  // chmod would follow a link to wherever it points: links are not ours to change.
  if (stats.isSymbolicLink()) return;
  tightenEntry(path, stats, loose);
  if (!stats.isDirectory()) return;
  if (depth >= DATA_DIRECTORY_DEPTH_MAX) {
    loose.push({ path, reason: `deeper than ${DATA_DIRECTORY_DEPTH_MAX} levels: not walked` });
    return;
  }
  for (const entry of readdirSync(path)) tightenTree(join(path, entry), depth + 1, loose);
}

/**
 * Takes group and other access off every file and directory in the data directory (installations
 * from before files were created owner-only). Returns what could not be tightened; never throws for it.
 */
export function tightenDataDirectory(dataDir: string): LooseEntry[] {
  const loose: LooseEntry[] = [];
  tightenTree(dataDir, 0, loose);
  return loose;
}
