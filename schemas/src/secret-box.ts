// Secrets at rest (NAS secrets, subscriber passwords, M-Pesa keys) sealed with the master key.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12; // AES-GCM standard nonce size
const TAG_BYTES = 16;
const FORMAT_VERSION = 'v1';

export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

/** A master key is any high-entropy string; it is stretched to 32 bytes with SHA-256. */
export function createSecretBox(masterKey: string): SecretBox {
  if (masterKey.length < 16) {
    throw new Error('master key must be at least 16 characters');
  }
  const key = createHash('sha256').update(masterKey).digest();
  return {
    seal(plaintext) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return `${FORMAT_VERSION}:${Buffer.concat([nonce, tag, body]).toString('base64')}`;
    },
    open(sealed) {
      const [version, payload] = sealed.split(':', 2);
      if (version !== FORMAT_VERSION || payload === undefined) {
        throw new Error('unknown sealed secret format');
      }
      const raw = Buffer.from(payload, 'base64');
      const nonce = raw.subarray(0, NONCE_BYTES);
      const tag = raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, nonce);
      decipher.setAuthTag(tag);
      return Buffer.concat([
        decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}

export function generateMasterKey(): string {
  return randomBytes(32).toString('base64url');
}
