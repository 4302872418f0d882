// Tests for CHAP-Password verification against a response computed independently in the test.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chapChallengeFor, verifyChapPassword } from './index';

const CHALLENGE = Buffer.from('5d8b3a1e7c2f4a9b0e6d1c3f5a7b9d2e', 'hex');
const IDENT = 0x2a;

/** RFC 1994 §4.1 response built byte by byte, not through the code under test. */
function chapPasswordFor(ident: number, password: string, challenge: Buffer): Buffer {
  const input = Buffer.concat([Buffer.from([ident]), Buffer.from(password, 'utf8'), challenge]);
  return Buffer.concat([Buffer.from([ident]), createHash('md5').update(input).digest()]);
}

describe('verifyChapPassword', () => {
  it('accepts a pinned vector and one built independently', () => {
    // MD5(0x2a || "7K3P9Q" || CHALLENGE) from the openssl command line, not from node:crypto.
    const pinned = Buffer.concat([
      Buffer.from([IDENT]),
      Buffer.from('62fd29f4f39cad0b70a496677f1529ab', 'hex'),
    ]);
    expect(chapPasswordFor(IDENT, '7K3P9Q', CHALLENGE)).toEqual(pinned);
    expect(verifyChapPassword(pinned, CHALLENGE, '7K3P9Q')).toBe(true);
  });

  it('rejects a wrong password, a wrong challenge, a wrong ident and a bad length', () => {
    const response = chapPasswordFor(IDENT, '7K3P9Q', CHALLENGE);
    expect(verifyChapPassword(response, CHALLENGE, '7K3P9R')).toBe(false);
    expect(verifyChapPassword(response, Buffer.alloc(16), '7K3P9Q')).toBe(false);
    expect(
      verifyChapPassword(
        Buffer.concat([Buffer.from([IDENT + 1]), response.subarray(1)]),
        CHALLENGE,
        '7K3P9Q',
      ),
    ).toBe(false);
    expect(verifyChapPassword(response.subarray(0, 16), CHALLENGE, '7K3P9Q')).toBe(false);
  });

  it('uses the Request Authenticator when CHAP-Challenge is absent', () => {
    const authenticator = Buffer.alloc(16, 0x11);
    expect(chapChallengeFor(undefined, authenticator)).toBe(authenticator);
    expect(chapChallengeFor(CHALLENGE, authenticator)).toBe(CHALLENGE);
  });
});
