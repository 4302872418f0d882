// Tests for MPPE keys: RFC 3079 §3.5.3 derivation vector and RFC 2548 §2.4.2 salted encryption.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decryptMppeKey,
  deriveMppeMasterKeys,
  encryptMppeKey,
  encryptMppeKeyPair,
  getAsymmetricStartKey,
  md4,
  ntPasswordHash,
} from './index';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');

// RFC 3079 §3.5.3 (128-bit keys), same peer as RFC 2759 §9.2.
const NT_RESPONSE = hex('82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF');
const PASSWORD_HASH_HASH = hex('41C00C584BD2D91C4017A2A12FA59F3F');
const MASTER_KEY = hex('FDECE3717A8C838CB388E527AE3CDD31');
const SEND_START_KEY_128 = hex('8B7CDC149B993A1BA118CB153F56DCCB');

const SECRET = 'mppe-secret';
const REQUEST_AUTHENTICATOR = hex('a1b2c3d4e5f60718293a4b5c6d7e8f90');

describe('RFC 3079 key derivation', () => {
  it('derives MasterKey and the server send key of §3.5.3', () => {
    expect(md4(ntPasswordHash('clientPass'))).toEqual(PASSWORD_HASH_HASH);
    const keys = deriveMppeMasterKeys(PASSWORD_HASH_HASH, NT_RESPONSE);
    expect(keys.masterKey).toEqual(MASTER_KEY);
    // The RFC's SendStartKey128 is the server's send key, which is the client's receive key.
    expect(keys.masterSendKey).toEqual(SEND_START_KEY_128);
    expect(getAsymmetricStartKey(MASTER_KEY, 16, false, false)).toEqual(SEND_START_KEY_128);
    expect(keys.masterReceiveKey).toEqual(getAsymmetricStartKey(MASTER_KEY, 16, true, false));
    expect(keys.masterReceiveKey.equals(keys.masterSendKey)).toBe(false);
  });
});

describe('RFC 2548 MPPE key encryption', () => {
  it('matches an independent first-block computation', () => {
    const salt = hex('8123');
    const value = encryptMppeKey(SEND_START_KEY_128, SECRET, REQUEST_AUTHENTICATOR, salt);
    expect(value).toHaveLength(34);
    expect(value.subarray(0, 2)).toEqual(salt);
    const mask = createHash('md5').update(SECRET).update(REQUEST_AUTHENTICATOR).update(salt).digest();
    const plainFirstBlock = Buffer.concat([Buffer.from([16]), SEND_START_KEY_128.subarray(0, 15)]);
    expect(value.subarray(2, 18)).toEqual(
      Buffer.from(plainFirstBlock.map((octet, index) => octet ^ mask[index]!)),
    );
  });

  it('round-trips and uses distinct salts with the high bit set', () => {
    const keys = deriveMppeMasterKeys(PASSWORD_HASH_HASH, NT_RESPONSE);
    const pair = encryptMppeKeyPair(keys, SECRET, REQUEST_AUTHENTICATOR);
    expect(pair.sendKey[0]! & 0x80).toBe(0x80);
    expect(pair.sendKey.subarray(0, 2).equals(pair.receiveKey.subarray(0, 2))).toBe(false);
    expect(decryptMppeKey(pair.sendKey, SECRET, REQUEST_AUTHENTICATOR)).toEqual(keys.masterSendKey);
    expect(decryptMppeKey(pair.receiveKey, SECRET, REQUEST_AUTHENTICATOR)).toEqual(keys.masterReceiveKey);
    expect(decryptMppeKey(pair.sendKey.subarray(0, 20), SECRET, REQUEST_AUTHENTICATOR)).toBeUndefined();
  });

  it('refuses a salt without the high bit', () => {
    expect(() => encryptMppeKey(MASTER_KEY, SECRET, REQUEST_AUTHENTICATOR, hex('0123'))).toThrow(/high bit/);
  });
});
