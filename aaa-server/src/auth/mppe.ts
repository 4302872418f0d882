// MPPE keys: RFC 3079 master-key derivation and the RFC 2548 §2.4.2 salted encryption for RADIUS.
import { createHash, randomBytes } from 'node:crypto';

const MASTER_KEY_LENGTH = 16;
const BLOCK_LENGTH = 16;
const SALT_LENGTH = 2;
const SALT_HIGH_BIT = 0x80;
const AUTHENTICATOR_LENGTH = 16;
/** The key length travels in one octet in front of the key (RFC 2548 §2.4.2). */
const KEY_LENGTH_MAX = 255;

// RFC 3079 §3.4 constants: 'This is the MPPE Master Key' and the two direction labels.
const MASTER_KEY_MAGIC = Buffer.from('This is the MPPE Master Key', 'ascii');
const CLIENT_SEND_SERVER_RECEIVE_MAGIC = Buffer.from(
  'On the client side, this is the send key; on the server side, it is the receive key.',
  'ascii',
);
const CLIENT_RECEIVE_SERVER_SEND_MAGIC = Buffer.from(
  'On the client side, this is the receive key; on the server side, it is the send key.',
  'ascii',
);
const SHA_PAD_1 = Buffer.alloc(40, 0x00);
const SHA_PAD_2 = Buffer.alloc(40, 0xf2);

/** The server side's MPPE keys (RFC 3079 §3.4), before the RFC 2548 encryption for RADIUS. */
export interface MppeMasterKeys {
  readonly masterKey: Buffer;
  /** Goes in MS-MPPE-Send-Key: what the NAS (server side of PPP) sends with. */
  readonly masterSendKey: Buffer;
  /** Goes in MS-MPPE-Recv-Key. */
  readonly masterReceiveKey: Buffer;
}

/** RFC 3079 §3.4 GetMasterKey: SHA1(PasswordHashHash + NTResponse + magic), first 16 octets. */
export function getMasterKey(passwordHashHash: Buffer, ntResponse: Buffer): Buffer {
  const digest = createHash('sha1')
    .update(passwordHashHash)
    .update(ntResponse)
    .update(MASTER_KEY_MAGIC)
    .digest();
  return digest.subarray(0, MASTER_KEY_LENGTH);
}

/** RFC 3079 §3.4 GetAsymetricStartKey. */
export function getAsymmetricStartKey(
  masterKey: Buffer,
  keyLength: number,
  isSend: boolean,
  isServer: boolean,
): Buffer {
  const usesServerSendMagic = isSend === isServer;
  const magic = usesServerSendMagic ? CLIENT_RECEIVE_SERVER_SEND_MAGIC : CLIENT_SEND_SERVER_RECEIVE_MAGIC;
  const digest = createHash('sha1')
    .update(masterKey)
    .update(SHA_PAD_1)
    .update(magic)
    .update(SHA_PAD_2)
    .digest();
  return digest.subarray(0, keyLength);
}

/** Derives the server-side 128-bit keys from the MD4 password hash and the peer's NT-Response. */
export function deriveMppeMasterKeys(passwordHashHash: Buffer, ntResponse: Buffer): MppeMasterKeys {
  const masterKey = getMasterKey(passwordHashHash, ntResponse);
  return {
    masterKey,
    masterSendKey: getAsymmetricStartKey(masterKey, MASTER_KEY_LENGTH, true, true),
    masterReceiveKey: getAsymmetricStartKey(masterKey, MASTER_KEY_LENGTH, false, true),
  };
}

/** A fresh salt with the high bit set, as RFC 2548 §2.4.2 requires. */
export function createMppeSalt(): Buffer {
  const salt = randomBytes(SALT_LENGTH);
  salt[0] = salt[0]! | SALT_HIGH_BIT;
  return salt;
}

/**
 * RFC 2548 §2.4.2: P = key-length octet + key + zero padding to a multiple of 16;
 * b(1) = MD5(secret + request authenticator + salt), b(i) = MD5(secret + c(i-1)); value = salt + C.
 */
export function encryptMppeKey(
  key: Buffer,
  secret: string | Buffer,
  requestAuthenticator: Buffer,
  salt: Buffer = createMppeSalt(),
): Buffer {
  if (key.length > KEY_LENGTH_MAX) throw new Error('MPPE key too long');
  if (salt.length !== SALT_LENGTH || (salt[0]! & SALT_HIGH_BIT) === 0)
    throw new Error('salt must be 2 octets, high bit set');
  if (requestAuthenticator.length !== AUTHENTICATOR_LENGTH)
    throw new Error('request authenticator must be 16 octets');
  const plainLength = Math.ceil((key.length + 1) / BLOCK_LENGTH) * BLOCK_LENGTH;
  const output = Buffer.alloc(SALT_LENGTH + plainLength);
  salt.copy(output, 0);
  output[SALT_LENGTH] = key.length;
  key.copy(output, SALT_LENGTH + 1);
  let previous: Buffer = Buffer.concat([requestAuthenticator, salt]);
  for (let offset = SALT_LENGTH; offset < output.length; offset += BLOCK_LENGTH) {
    const mask = createHash('md5').update(secret).update(previous).digest();
    for (let index = 0; index < BLOCK_LENGTH; index++) output[offset + index]! ^= mask[index]!;
    previous = output.subarray(offset, offset + BLOCK_LENGTH);
  }
  return output;
}

/** Reverses encryptMppeKey; returns undefined when the value is malformed. */
export function decryptMppeKey(
  value: Buffer,
  secret: string | Buffer,
  requestAuthenticator: Buffer,
): Buffer | undefined {
  const cipherLength = value.length - SALT_LENGTH;
  if (cipherLength < BLOCK_LENGTH || cipherLength % BLOCK_LENGTH !== 0) return undefined;
  const plain = Buffer.allocUnsafe(cipherLength);
  let previous: Buffer = Buffer.concat([requestAuthenticator, value.subarray(0, SALT_LENGTH)]);
  for (let offset = 0; offset < cipherLength; offset += BLOCK_LENGTH) {
    const mask = createHash('md5').update(secret).update(previous).digest();
    const cipherBlock = value.subarray(SALT_LENGTH + offset, SALT_LENGTH + offset + BLOCK_LENGTH);
    for (let index = 0; index < BLOCK_LENGTH; index++)
      plain[offset + index] = cipherBlock[index]! ^ mask[index]!;
    previous = cipherBlock;
  }
  const keyLength = plain[0]!;
  return keyLength + 1 > cipherLength ? undefined : plain.subarray(1, 1 + keyLength);
}

/** Both MS-MPPE key values for one Access-Accept, with distinct salts as RFC 2548 §2.4.2 demands. */
export function encryptMppeKeyPair(
  keys: MppeMasterKeys,
  secret: string | Buffer,
  requestAuthenticator: Buffer,
): { readonly sendKey: Buffer; readonly receiveKey: Buffer } {
  const sendSalt = createMppeSalt();
  let receiveSalt = createMppeSalt();
  while (receiveSalt.equals(sendSalt)) receiveSalt = createMppeSalt();
  return {
    sendKey: encryptMppeKey(keys.masterSendKey, secret, requestAuthenticator, sendSalt),
    receiveKey: encryptMppeKey(keys.masterReceiveKey, secret, requestAuthenticator, receiveSalt),
  };
}
