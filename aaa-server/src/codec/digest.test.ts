// Tests that the scratch-buffer MD5 and HMAC-MD5 agree with node:crypto for every secret length.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSharedSecret, packetHmacMd5, packetMd5, SECRET_LENGTH_MAX, toSharedSecret } from './digest';

const PACKET = randomBytes(300);

describe('packet digests', () => {
  it.each([1, 16, 63, 64, 65, 200, SECRET_LENGTH_MAX])(
    'match node:crypto with a %i-octet secret',
    (length) => {
      const secretBytes = randomBytes(length);
      const secret = createSharedSecret(secretBytes);
      expect(packetMd5(PACKET, undefined, secret)).toEqual(
        createHash('md5').update(PACKET).update(secretBytes).digest(),
      );
      expect(packetHmacMd5(PACKET, undefined, -1, secret)).toEqual(
        createHmac('md5', secretBytes).update(PACKET).digest(),
      );
    },
  );

  it('replaces the authenticator and zeroes the Message-Authenticator in the copy only', () => {
    const secret = toSharedSecret('s3cret');
    const standIn = Buffer.alloc(16, 0xab);
    const expected = Buffer.from(PACKET);
    standIn.copy(expected, 4);
    expected.fill(0, 40, 56);
    const before = Buffer.from(PACKET);
    expect(packetHmacMd5(PACKET, standIn, 40, secret)).toEqual(
      createHmac('md5', 's3cret').update(expected).digest(),
    );
    expect(PACKET).toEqual(before);
  });

  it('refuses secrets over the limit and reuses prepared string secrets', () => {
    expect(() => createSharedSecret(Buffer.alloc(SECRET_LENGTH_MAX + 1))).toThrow(/longer than/);
    expect(toSharedSecret('same')).toBe(toSharedSecret('same'));
  });
});
