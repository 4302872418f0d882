// Tests for User-Password hiding (RFC 2865 §5.2), against an independent one-block computation.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CodecError, decryptUserPassword, encryptUserPassword } from './index';

const SECRET = 'xyzzy5461';
const AUTHENTICATOR = Buffer.from('0f403f9473978057bd83d5cb98f4227a', 'hex');

describe('User-Password', () => {
  it('matches MD5(secret + authenticator) XOR the padded password for one block', () => {
    const mask = createHash('md5').update(SECRET).update(AUTHENTICATOR).digest();
    const padded = Buffer.alloc(16);
    padded.write('arctangent');
    const expected = Buffer.from(padded.map((octet, index) => octet ^ mask[index]!));
    expect(encryptUserPassword('arctangent', SECRET, AUTHENTICATOR)).toEqual(expected);
  });

  it.each([1, 15, 16, 17, 32, 100, 128])('round-trips a %i-octet password', (length) => {
    const password = 'p'.repeat(length - 1) + String(length % 10);
    const hidden = encryptUserPassword(password, SECRET, AUTHENTICATOR);
    expect(hidden.length).toBe(Math.max(16, Math.ceil(length / 16) * 16));
    expect(decryptUserPassword(hidden, SECRET, AUTHENTICATOR)).toBe(password);
  });

  it('round-trips non-ASCII passwords and fails with the wrong secret', () => {
    const hidden = encryptUserPassword('nenosiri-ñ€', SECRET, AUTHENTICATOR);
    expect(decryptUserPassword(hidden, SECRET, AUTHENTICATOR)).toBe('nenosiri-ñ€');
    expect(decryptUserPassword(hidden, 'wrong', AUTHENTICATOR)).not.toBe('nenosiri-ñ€');
  });

  it('refuses bad lengths', () => {
    expect(() => encryptUserPassword('x'.repeat(129), SECRET, AUTHENTICATOR)).toThrow(CodecError);
    for (const length of [0, 15, 17, 144]) {
      expect(() => decryptUserPassword(Buffer.alloc(length), SECRET, AUTHENTICATOR)).toThrow(
        expect.objectContaining({ reason: 'bad_password_length' }),
      );
    }
  });
});
