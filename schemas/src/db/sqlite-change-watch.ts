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
import type { ShardRegistry, TenantShard } from '../shard-registry';
import type { ChangeMark, ChangeWatch } from './sql-database';

/** One WalIndexHdr: iVersion, unused, iChange, isInit, bigEndCksum, szPage, mxFrame, nPage, aFrameCksum[2], aSalt[2], aCksum[2]. */
export const WAL_INDEX_HEADER_LENGTH = 48;

/** The wal-index of the database at `databasePath`: the unix VFS keeps it in `<database>-shm`. */
export function walIndexPathOf(databasePath: string): string {
  return `${databasePath}-shm`;
}

/** A header as read, and of which open shard (a reopened shard has a new `-shm`). */
interface WalIndexMark extends ChangeMark {
  readonly watched: TenantShard;
  readonly header: Buffer;
}

export class SqliteChangeWatch implements ChangeWatch {
  private readonly latest = Buffer.alloc(WAL_INDEX_HEADER_LENGTH);
  private readonly accepted = Buffer.alloc(WAL_INDEX_HEADER_LENGTH);
  private isLatestRead = false;
  private hasAccepted = false;
  /** The shard whose `-shm` is open; the registry may close it (LRU) and open a new one. */
  private shard: TenantShard | undefined;
  private fileDescriptor: number | null = null;

  constructor(
    private readonly shards: ShardRegistry,
    private readonly tenantId: string,
  ) {}

  isUnchangedSinceAccepted(): boolean {
    const shard = this.shards.openShard(this.tenantId);
    if (shard !== this.shard) this.watch(shard);
    this.isLatestRead = false;
    if (this.fileDescriptor === null) return false;
    try {
      this.isLatestRead =
        readSync(this.fileDescriptor, this.latest, 0, WAL_INDEX_HEADER_LENGTH, 0) === WAL_INDEX_HEADER_LENGTH;
    } catch {
      this.watch(undefined);
    }
    return this.isLatestRead && this.hasAccepted && this.latest.equals(this.accepted);
  }

  markOfLastCheck(): WalIndexMark | null {
    if (!this.isLatestRead || this.shard === undefined) return null;
    return { watched: this.shard, header: Buffer.from(this.latest) };
  }

  accept(mark: ChangeMark | null): void {
    if (mark === null || mark.watched !== this.shard) return;
    (mark as WalIndexMark).header.copy(this.accepted);
    this.hasAccepted = true;
  }

  close(): void {
    this.watch(undefined);
  }

  /** Opens the `-shm` of this shard (none: closed; a shard without one, in memory, is never "unchanged"). */
  private watch(shard: TenantShard | undefined): void {
    if (this.fileDescriptor !== null) closeSync(this.fileDescriptor);
    this.fileDescriptor = null;
    this.hasAccepted = false;
    this.isLatestRead = false;
    this.shard = shard;
    if (shard === undefined) return;
    try {
      this.fileDescriptor = openSync(walIndexPathOf(shard.sqlite.name), 'r');
    } catch {
      this.fileDescriptor = null;
    }
  }
}
