// The backup manifest: what a backup holds (each file's path, size, SHA-256), written last and
// atomically, and the verification every restore does before it touches anything.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { z } from 'zod';
import { digestFile, pathExists, writeFileAtomically } from './backup-files';
import { BackupError, type BackupProblem, describeProblems } from './errors';

export const MANIFEST_FILE = 'manifest.json';
/** Names a Kiunga manifest, so that another tool's manifest.json is not taken for one. */
export const MANIFEST_FORMAT = 'kiunga-backup';
/**
 * The manifest format this Kiunga writes and reads. A later format gets a new number; a restore
 * refuses a number it does not know rather than guess at fields it cannot read.
 */
export const MANIFEST_FORMAT_VERSION = 1;
/** A manifest lists the platform and every tenant: 100,000 files is far beyond any one platform. */
const MANIFEST_FILES_MAX = 100_000;
/** manifest.json is a few hundred bytes per file; refuse to parse anything absurdly larger. */
const MANIFEST_BYTES_MAX = 64 * 1024 * 1024;

export type BackupMode = 'embedded' | 'scaled';
export type BackupFileKind = 'platform' | 'tenant' | 'archived_tenant' | 'master_key';

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex');
/** Relative, forward slashes, no '..' and nothing but names Kiunga writes: a restore never leaves DIR. */
const relativePathSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'a relative path of plain names')
  .refine((path) => !path.split('/').some((part) => part === '..' || part === '.'), 'no . or .. parts');

export const manifestFileSchema = z.object({
  path: relativePathSchema,
  kind: z.enum(['platform', 'tenant', 'archived_tenant', 'master_key']),
  /** For tenant and archived_tenant files. */
  tenantId: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  size: z.number().int().min(0),
  sha256: sha256Schema,
  /** The newest migration applied to this database when it was copied (its tag, e.g. 0004_sms_outbox). */
  migration: z.string().min(1).nullable().optional(),
});

/**
 * Where each kind of file lives in a backup: a manifest cannot point a restore at any other path (a
 * tenant entry at master.key, say), whatever the files are called on disk.
 */
export function expectedBackupPath(
  file: Pick<ManifestFile, 'kind' | 'tenantId'>,
  mode: BackupMode,
): string | null {
  const extension = mode === 'embedded' ? 'db' : 'dump';
  switch (file.kind) {
    case 'platform':
      return `platform.${extension}`;
    case 'tenant':
      return file.tenantId ? `tenants/${file.tenantId}.${extension}` : null;
    case 'archived_tenant':
      return file.tenantId ? `tenants/archive/${file.tenantId}.${extension}` : null;
    case 'master_key':
      return 'master-key.json';
  }
}

const manifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
    mode: z.enum(['embedded', 'scaled']),
    createdAt: z.string().datetime(),
    createdAtMs: z.number().int().min(0),
    /** The newest migration of each kind that the Kiunga which wrote the backup knew. */
    migrations: z.object({ platform: z.string().min(1), tenant: z.string().min(1) }),
    /** Versions of what wrote the files: sqlite, or the PostgreSQL server and pg_dump. */
    engine: z.record(z.string(), z.string()),
    files: z.array(manifestFileSchema).max(MANIFEST_FILES_MAX),
  })
  .superRefine((manifest, context) => {
    for (const [index, file] of manifest.files.entries()) {
      const expected = expectedBackupPath(file, manifest.mode);
      if (file.path !== expected) {
        context.addIssue({
          code: 'custom',
          path: ['files', index, 'path'],
          message: `a ${file.kind} file belongs at ${expected ?? '(it needs a tenantId)'} in ${manifest.mode} mode, not ${file.path}`,
        });
      }
    }
  });

export type ManifestFile = z.infer<typeof manifestFileSchema>;
export type BackupManifest = z.infer<typeof manifestSchema>;

/** Writes DIR/manifest.json last, atomically: a backup without one never finished. */
export async function writeManifest(directory: string, manifest: BackupManifest): Promise<void> {
  const parsed = manifestSchema.parse(manifest);
  await writeFileAtomically(join(directory, MANIFEST_FILE), `${JSON.stringify(parsed, null, 2)}\n`);
}

/** Reads and parses DIR/manifest.json; an unknown format version is refused by name. */
export async function readManifest(directory: string): Promise<BackupManifest> {
  const path = join(directory, MANIFEST_FILE);
  if (!(await pathExists(path))) {
    throw new BackupError(
      'manifest_missing',
      `${directory} has no ${MANIFEST_FILE}: not a Kiunga backup, or one that never finished`,
    );
  }
  const text = await readFile(path, 'utf8');
  if (text.length > MANIFEST_BYTES_MAX) throw new BackupError('manifest_invalid', `${path} is too large`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new BackupError('manifest_invalid', `${path} is not JSON`);
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version !== MANIFEST_FORMAT_VERSION) {
    throw new BackupError(
      'format_unsupported',
      `${path} has format version ${version}; this Kiunga reads version ${MANIFEST_FORMAT_VERSION} only`,
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackupError(
      'manifest_invalid',
      `${path} is not a Kiunga manifest: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  assertUniquePaths(parsed.data, path);
  return parsed.data;
}

function assertUniquePaths(manifest: BackupManifest, path: string): void {
  const seen = new Set<string>();
  for (const file of manifest.files) {
    if (seen.has(file.path)) throw new BackupError('manifest_invalid', `${path} lists ${file.path} twice`);
    seen.add(file.path);
  }
  if (manifest.files.filter((file) => file.kind === 'platform').length !== 1) {
    throw new BackupError('manifest_invalid', `${path} must list exactly one platform database`);
  }
}

/** The absolute path of a manifest entry inside DIR (the schema already refused anything leaving it). */
export function backupFilePath(directory: string, file: Pick<ManifestFile, 'path'>): string {
  const path = normalize(join(directory, ...file.path.split('/')));
  if (isAbsolute(file.path) || !path.startsWith(normalize(directory) + sep)) {
    throw new BackupError('manifest_invalid', `${file.path} leaves the backup directory`);
  }
  return path;
}

/**
 * Reads the manifest and checks every file it lists: present, the same size, the same SHA-256.
 * Throws `backup_damaged` naming every file that differs; nothing is restored from such a backup.
 */
export async function verifyBackup(directory: string): Promise<BackupManifest> {
  const manifest = await readManifest(directory);
  const problems: BackupProblem[] = [];
  for (const file of manifest.files) {
    const path = backupFilePath(directory, file);
    if (!(await pathExists(path))) {
      problems.push({ subject: file.path, reason: 'missing' });
      continue;
    }
    const digest = await digestFile(path);
    if (digest.size !== file.size) {
      problems.push({ subject: file.path, reason: `${digest.size} bytes, the manifest says ${file.size}` });
    } else if (digest.sha256 !== file.sha256) {
      problems.push({
        subject: file.path,
        reason: 'SHA-256 differs from the manifest (the file was altered)',
      });
    }
  }
  if (problems.length > 0) {
    throw new BackupError(
      'backup_damaged',
      `backup ${directory} does not verify: ${describeProblems(problems)}`,
      problems,
    );
  }
  return manifest;
}
