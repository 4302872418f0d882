// The master key inside a backup (only with --include-key): encrypted with a key derived from the
// operator's passphrase. scrypt (RFC 7914) stretches the passphrase; AES-256-GCM (NIST SP 800-38D)
// encrypts and authenticates the key, with the format and KDF parameters as additional data so that
// none of them can be altered unnoticed. Layout: docs/backups.md, "The master key in a backup".
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { z } from 'zod';
import { BackupError } from './errors';

export const MASTER_KEY_ENVELOPE_FORMAT = 'kiunga-master-key';
export const MASTER_KEY_ENVELOPE_VERSION = 1;

/**
 * scrypt cost N = 2^17, block size r = 8, parallelism p = 1: the OWASP Password Storage Cheat Sheet's
 * minimum for scrypt (2023). It costs 128 × N × r = 128 MiB and one derivation per backup or restore
 * (1.7 s measured on this 2-core machine under a load of 14, a fraction of that idle); a guesser pays
 * the same per guess.
 */
export const SCRYPT_COST = 2 ** 17;
export const SCRYPT_BLOCK_SIZE = 8;
export const SCRYPT_PARALLELISM = 1;
/**
 * The largest parameters an envelope may ask for when opened: a crafted file must not make a restore
 * allocate gigabytes (2^20 × 8 × 128 = 1 GiB is the ceiling Percival gives for sensitive storage).
 */
const SCRYPT_COST_MAX = 2 ** 20;
const SCRYPT_BLOCK_SIZE_MAX = 16;
const SCRYPT_PARALLELISM_MAX = 4;
/** AES-256 key. */
const DERIVED_KEY_BYTES = 32;
/** 128-bit random salt per envelope (RFC 7914 leaves its length to the caller; 16 bytes is usual). */
const SALT_BYTES = 16;
/** GCM's recommended 96-bit IV (NIST SP 800-38D §8.2), fresh per envelope. */
const IV_BYTES = 12;
/** The full 128-bit GCM tag (SP 800-38D §5.2.1.2). */
const TAG_BYTES = 16;
/**
 * A passphrase guards the master key of every ISP's secrets offline, where guessing is unlimited:
 * shorter than 12 characters is refused (a few random words clear it easily).
 */
export const PASSPHRASE_LENGTH_MIN = 12;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const envelopeSchema = z.object({
  format: z.literal(MASTER_KEY_ENVELOPE_FORMAT),
  formatVersion: z.literal(MASTER_KEY_ENVELOPE_VERSION),
  kdf: z.object({
    name: z.literal('scrypt'),
    N: z
      .number()
      .int()
      .min(2)
      .max(SCRYPT_COST_MAX)
      .refine((value) => (value & (value - 1)) === 0, 'a power of two'),
    r: z.number().int().min(1).max(SCRYPT_BLOCK_SIZE_MAX),
    p: z.number().int().min(1).max(SCRYPT_PARALLELISM_MAX),
    salt: base64,
    keyLength: z.literal(DERIVED_KEY_BYTES),
  }),
  cipher: z.object({ name: z.literal('aes-256-gcm'), iv: base64, tag: base64 }),
  ciphertext: base64,
});

export type MasterKeyEnvelope = z.infer<typeof envelopeSchema>;
type KdfParameters = MasterKeyEnvelope['kdf'];

function assertPassphrase(passphrase: string): void {
  if (passphrase.length < PASSPHRASE_LENGTH_MIN) {
    throw new BackupError(
      'passphrase_required',
      `the passphrase must be at least ${PASSPHRASE_LENGTH_MIN} characters`,
    );
  }
}

function deriveKey(passphrase: string, kdf: KdfParameters): Promise<Buffer> {
  // maxmem: Node refuses above 32 MiB by default; allow what these parameters need, plus slack.
  const maxmem = 256 * kdf.N * kdf.r;
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFC'),
      Buffer.from(kdf.salt, 'base64'),
      kdf.keyLength,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** The authenticated header: format, version and KDF parameters, in a fixed field order. */
function additionalData(envelope: Pick<MasterKeyEnvelope, 'format' | 'formatVersion' | 'kdf'>): Buffer {
  const { kdf } = envelope;
  return Buffer.from(
    JSON.stringify([
      envelope.format,
      envelope.formatVersion,
      kdf.name,
      kdf.N,
      kdf.r,
      kdf.p,
      kdf.salt,
      kdf.keyLength,
    ]),
  );
}

/** Encrypts the master key with a key derived from `passphrase`. */
export async function sealMasterKey(masterKey: string, passphrase: string): Promise<MasterKeyEnvelope> {
  assertPassphrase(passphrase);
  const kdf: KdfParameters = {
    name: 'scrypt',
    N: SCRYPT_COST,
    r: SCRYPT_BLOCK_SIZE,
    p: SCRYPT_PARALLELISM,
    salt: randomBytes(SALT_BYTES).toString('base64'),
    keyLength: DERIVED_KEY_BYTES,
  };
  const header = {
    format: MASTER_KEY_ENVELOPE_FORMAT,
    formatVersion: MASTER_KEY_ENVELOPE_VERSION,
    kdf,
  } as const;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(passphrase, kdf), iv, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(additionalData(header));
  const ciphertext = Buffer.concat([cipher.update(masterKey, 'utf8'), cipher.final()]);
  return {
    ...header,
    cipher: { name: 'aes-256-gcm', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') },
    ciphertext: ciphertext.toString('base64'),
  };
}

/** Decrypts the master key; a wrong passphrase or an altered envelope is `passphrase_wrong`. */
export async function openMasterKey(envelopeText: string, passphrase: string): Promise<string> {
  let raw: unknown;
  try {
    raw = JSON.parse(envelopeText);
  } catch {
    throw new BackupError('manifest_invalid', 'the master key file is not JSON');
  }
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success) {
    throw new BackupError(
      'manifest_invalid',
      `the master key file is not a ${MASTER_KEY_ENVELOPE_FORMAT} v1`,
    );
  }
  const envelope = parsed.data;
  const iv = Buffer.from(envelope.cipher.iv, 'base64');
  const tag = Buffer.from(envelope.cipher.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new BackupError('manifest_invalid', 'the master key file has a malformed IV or tag');
  }
  const key = await deriveKey(passphrase, envelope.kdf);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(envelope));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([
      decipher.update(Buffer.from(envelope.ciphertext, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new BackupError(
      'passphrase_wrong',
      'the passphrase does not open the master key in this backup (or its key file was altered)',
    );
  }
}

/** A passphrase file's content: the whole file, less one trailing newline (as `echo … >` writes). */
export function passphraseFromFileContent(content: string): string {
  const passphrase = content.replace(/\r?\n$/, '');
  assertPassphrase(passphrase);
  return passphrase;
}
