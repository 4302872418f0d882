// MD4 and single DES for MS-CHAP (RFC 2759), from node:crypto's OpenSSL legacy provider.
import { createCipheriv, createHash } from 'node:crypto';

const DES_KEY_SOURCE_LENGTH = 7;
const DES_KEY_LENGTH = 8;
const DES_BLOCK_LENGTH = 8;
const BITS_PER_KEY_OCTET = 7;

/**
 * MD4 and DES live in OpenSSL 3's legacy provider. Node 20 loads it only when started with
 * --openssl-legacy-provider, which the AAA server's start and test commands pass; this message
 * says so instead of OpenSSL's "unsupported".
 */
function withLegacyProvider<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/unsupported|not supported/i.test(message)) {
      throw new Error('MS-CHAP needs MD4/DES: run node with --openssl-legacy-provider', { cause: error });
    }
    throw error;
  }
}

export function md4(data: Buffer): Buffer {
  return withLegacyProvider(() => createHash('md4').update(data).digest());
}

/** RFC 2759 §8.6 DesEncrypt: one 8-octet block under a 7-octet key expanded with parity bits. */
export function desEncryptBlock(clear: Buffer, keySource: Buffer): Buffer {
  if (clear.length !== DES_BLOCK_LENGTH || keySource.length !== DES_KEY_SOURCE_LENGTH) {
    throw new Error('DES needs an 8-octet block and a 7-octet key');
  }
  return withLegacyProvider(() => {
    const cipher = createCipheriv('des-ecb', expandDesKey(keySource), null);
    cipher.setAutoPadding(false);
    return cipher.update(clear);
  });
}

/** Spreads 56 key bits over 8 octets, 7 bits each in the high bits, and sets odd parity in bit 0. */
export function expandDesKey(keySource: Buffer): Buffer {
  const key = Buffer.allocUnsafe(DES_KEY_LENGTH);
  for (let index = 0; index < DES_KEY_LENGTH; index++) {
    const bitOffset = index * BITS_PER_KEY_OCTET;
    const octetIndex = bitOffset >> 3;
    const word = (keySource[octetIndex]! << 8) | (keySource[octetIndex + 1] ?? 0);
    const sevenBits = (word >> (9 - (bitOffset & 7))) & 0x7f;
    key[index] = (sevenBits << 1) | (hasEvenBitCount(sevenBits) ? 1 : 0);
  }
  return key;
}

function hasEvenBitCount(value: number): boolean {
  let count = 0;
  for (let bits = value; bits !== 0; bits >>= 1) count += bits & 1;
  return count % 2 === 0;
}
