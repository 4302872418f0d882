// Tells, with one small read and no SQLite call, whether anything was committed to a shard since we last
// looked: the first copy of the wal-index header in the shard's `-shm` file changes with every commit.
//
// SQLite, "WAL-mode File Format" (sqlite.org/walformat.html), §2.1 The WAL-Index Header: the wal-index
// (the `-shm` file of the unix VFS, shared by every connection of every process) starts with two copies
// of a 48-byte header holding `iChange`, "a counter incremented with each transaction", `mxFrame`, the
// salts and a checksum; a writer updates both copies as it commits. Reading the first copy with pread sees
// what every connection sees (the file is the same pages SQLite maps). Only inequality is used: a header
// that differs from the last one accepted sends the caller to SQLite, so a torn or unexpected read costs
// a query, never a stale answer. Where the file cannot be read every check goes to SQLite.
import { closeSync, openSync, readSync } from 'node:fs';
import type { TenantShard } from '@kiunga/schemas';

/** One WalIndexHdr: iVersion, unused, iChange, isInit, bigEndCksum, szPage, mxFrame, nPage, aFrameCksum[2], aSalt[2], aCksum[2]. */
export const WAL_INDEX_HEADER_LENGTH = 48;
const SHM_SUFFIX = '-shm';

export class WalIndexWatch {
  private readonly latest = Buffer.alloc(WAL_INDEX_HEADER_LENGTH);
  private readonly accepted = Buffer.alloc(WAL_INDEX_HEADER_LENGTH);
  private isLatestRead = false;
  private hasAccepted = false;

  private constructor(private fileDescriptor: number | null) {}

  /** Watches the shard's wal-index; a shard without one (not in WAL mode, in memory) is never "unchanged". */
  static open(shard: TenantShard): WalIndexWatch {
    const databasePath = shard.sqlite.name;
    try {
      return new WalIndexWatch(openSync(`${databasePath}${SHM_SUFFIX}`, 'r'));
    } catch {
      return new WalIndexWatch(null);
    }
  }

  /** Reads the header now; false when it could not be read (then nothing may be trusted as unchanged). */
  readHeader(): boolean {
    this.isLatestRead = false;
    if (this.fileDescriptor === null) return false;
    try {
      this.isLatestRead =
        readSync(this.fileDescriptor, this.latest, 0, WAL_INDEX_HEADER_LENGTH, 0) === WAL_INDEX_HEADER_LENGTH;
    } catch {
      this.close();
    }
    return this.isLatestRead;
  }

  /** After readHeader(): is it the header accepted last, i.e. was nothing committed since? */
  isUnchangedSinceAccepted(): boolean {
    return this.isLatestRead && this.hasAccepted && this.latest.equals(this.accepted);
  }

  /** The header last read stands for what the caller just read from SQLite (read after it). */
  acceptHeader(): void {
    if (!this.isLatestRead) return;
    this.latest.copy(this.accepted);
    this.hasAccepted = true;
  }

  close(): void {
    if (this.fileDescriptor !== null) closeSync(this.fileDescriptor);
    this.fileDescriptor = null;
    this.hasAccepted = false;
    this.isLatestRead = false;
  }
}
