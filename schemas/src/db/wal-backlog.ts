// How many WAL frames of a shard wait to be copied into its database file, read from the `-shm` file
// with one small read and no SQLite connection: the metering thread skips a checkpoint with nothing to do.
//
// SQLite, "WAL-mode File Format" (sqlite.org/walformat.html), §2.1: the wal-index starts with two
// copies of the 48-byte WalIndexHdr, whose `mxFrame` (u32 at offset 16) is "the index of the last valid
// frame in the WAL", then the WalCkptInfo, whose first field `nBackfill` (u32 at offset 96) is "the
// number of WAL frames that have already been backfilled into the database". Both are in the host's
// byte order (the file is only shared on one machine). A torn read costs at most one checkpoint too
// many or one round late: SQLite's own wal_autocheckpoint stays the bound (database.ts).
import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { WAL_INDEX_HEADER_LENGTH, walIndexPathOf } from './sqlite-change-watch';

const MX_FRAME_OFFSET = 16;
/** The WalCkptInfo follows the header's two copies. */
const N_BACKFILL_OFFSET = 2 * WAL_INDEX_HEADER_LENGTH;
const READ_LENGTH = N_BACKFILL_OFFSET + 4;

/** WAL frames not yet checkpointed for the database at `databasePath`; null when its `-shm` cannot be read. */
export function walFramesNotCheckpointed(databasePath: string): number | null {
  let fileDescriptor: number;
  try {
    fileDescriptor = openSync(walIndexPathOf(databasePath), 'r');
  } catch {
    return null;
  }
  try {
    const header = Buffer.alloc(READ_LENGTH);
    if (readSync(fileDescriptor, header, 0, READ_LENGTH, 0) !== READ_LENGTH) return null;
    const maxFrame = readHostUInt32(header, MX_FRAME_OFFSET);
    const backfilled = readHostUInt32(header, N_BACKFILL_OFFSET);
    return Math.max(0, maxFrame - backfilled);
  } catch {
    return null;
  } finally {
    closeSync(fileDescriptor);
  }
}

const IS_LITTLE_ENDIAN_HOST = endianness() === 'LE';

function readHostUInt32(bytes: Buffer, offset: number): number {
  return IS_LITTLE_ENDIAN_HOST ? bytes.readUInt32LE(offset) : bytes.readUInt32BE(offset);
}
