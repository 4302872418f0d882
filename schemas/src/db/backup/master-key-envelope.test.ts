// The master key inside a backup: it comes back only with the right passphrase, and no field of the
// envelope can be changed without the change being noticed.
import { describe, expect, it } from 'vitest';
import {
  MASTER_KEY_ENVELOPE_FORMAT,
  openMasterKey,
  PASSPHRASE_LENGTH_MIN,
  passphraseFromFileContent,
  SCRYPT_BLOCK_SIZE,
  SCRYPT_COST,
  SCRYPT_PARALLELISM,
  sealMasterKey,
} from './master-key-envelope';

const MASTER_KEY = 'q3Jw0m2V9c4bqS8jYwz0c1hF5hV3l7R2x6pK0aQ9tY8';
const PASSPHRASE = 'tembea pole pole, ufike salama';

describe('master key envelope', async () => {
  const envelope = await sealMasterKey(MASTER_KEY, PASSPHRASE);
  const text = JSON.stringify(envelope);

  it('names its format and the scrypt parameters, and never holds the key in the clear', () => {
    expect(envelope).toMatchObject({
      format: MASTER_KEY_ENVELOPE_FORMAT,
      formatVersion: 1,
      kdf: { name: 'scrypt', N: SCRYPT_COST, r: SCRYPT_BLOCK_SIZE, p: SCRYPT_PARALLELISM, keyLength: 32 },
      cipher: { name: 'aes-256-gcm' },
    });
    expect(Buffer.from(envelope.kdf.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(envelope.cipher.iv, 'base64')).toHaveLength(12);
    expect(text).not.toContain(MASTER_KEY);
  });

  it('opens with the passphrase, and refuses another one', async () => {
    expect(await openMasterKey(text, PASSPHRASE)).toBe(MASTER_KEY);
    await expect(openMasterKey(text, `${PASSPHRASE}!`)).rejects.toMatchObject({ code: 'passphrase_wrong' });
  });

  it('refuses an envelope whose parameters, salt or ciphertext were altered', async () => {
    const altered = [
      { ...envelope, kdf: { ...envelope.kdf, N: SCRYPT_COST / 2 } },
      { ...envelope, kdf: { ...envelope.kdf, salt: Buffer.alloc(16, 1).toString('base64') } },
      { ...envelope, ciphertext: Buffer.from(`x${MASTER_KEY}`).toString('base64') },
    ];
    for (const candidate of altered) {
      await expect(openMasterKey(JSON.stringify(candidate), PASSPHRASE)).rejects.toMatchObject({
        code: 'passphrase_wrong',
      });
    }
    // Parameters that would make a restore allocate gigabytes are refused before any work.
    const greedy = { ...envelope, kdf: { ...envelope.kdf, N: 2 ** 24 } };
    await expect(openMasterKey(JSON.stringify(greedy), PASSPHRASE)).rejects.toMatchObject({
      code: 'manifest_invalid',
    });
  });

  it('takes a passphrase file less its trailing newline, and refuses a short passphrase', async () => {
    expect(passphraseFromFileContent(`${PASSPHRASE}\n`)).toBe(PASSPHRASE);
    expect(passphraseFromFileContent(`${PASSPHRASE}\r\n`)).toBe(PASSPHRASE);
    expect(() => passphraseFromFileContent('x'.repeat(PASSPHRASE_LENGTH_MIN - 1))).toThrow(/at least 12/);
    await expect(sealMasterKey(MASTER_KEY, 'short')).rejects.toMatchObject({ code: 'passphrase_required' });
  });
});
