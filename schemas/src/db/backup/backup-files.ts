// File primitives of backups: owner-only folders and files, SHA-256 while reading, fsync, atomic writes.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PRIVATE_DIRECTORY_MODE, PRIVATE_FILE_MODE } from '../../file-modes';

export interface FileDigest {
  readonly size: number;
  readonly sha256: string;
}

/** Size and SHA-256 of a file, read as a stream (a shard may be larger than memory allows). */
export async function digestFile(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    hash.update(bytes);
  }
  return { size, sha256: hash.digest('hex') };
}

/** Flushes a file (or a directory's entries) to disk: a backup whose manifest says done must be there. */
export async function syncToDisk(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates a directory and its missing parents, owner-only (0700) whatever the umask. */
export async function makeOwnerOnlyDirectory(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  await chmod(path, PRIVATE_DIRECTORY_MODE);
}

/** Writes `content` under a temporary name, flushes it, then renames it into place: all or nothing. */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.partial`;
  const handle = await open(temporary, 'w', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(temporary, PRIVATE_FILE_MODE);
  await rename(temporary, path);
  await syncToDisk(dirname(path));
}

/**
 * Copies `source` to `destination` (0600, flushed), hashing what was written; refuses the copy when it
 * is not the `expected` file, so a disk that corrupts on the way is caught, not restored.
 */
export async function copyFileVerified(
  source: string,
  destination: string,
  expected: FileDigest,
): Promise<void> {
  const hash = createHash('sha256');
  let size = 0;
  const reader = createReadStream(source);
  reader.on('data', (chunk) => {
    const bytes = chunk as Buffer;
    size += bytes.length;
    hash.update(bytes);
  });
  await pipeline(reader, createWriteStream(destination, { mode: PRIVATE_FILE_MODE, flags: 'wx' }));
  await chmod(destination, PRIVATE_FILE_MODE);
  await syncToDisk(destination);
  const sha256 = hash.digest('hex');
  if (size !== expected.size || sha256 !== expected.sha256) {
    throw new Error(`${destination}: the copy differs from the backup (disk or filesystem error)`);
  }
}

/** Whether `path` exists (a file or a directory). */
export async function pathExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
