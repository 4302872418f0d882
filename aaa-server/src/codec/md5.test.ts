// Our MD5 against RFC 1321's test suite and against node:crypto on random input, whole and resumed.
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSharedSecret, packetHmacMd5 } from './digest';
import { MD5_BLOCK_LENGTH, md5, md5Into, md5StateAfterBlock } from './md5';

describe('MD5', () => {
  it('gives the RFC 1321 §A.5 test suite digests', () => {
    const suite: Array<[string, string]> = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
      ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
    ];
    for (const [text, digest] of suite) expect(md5(Buffer.from(text, 'ascii')).toString('hex')).toBe(digest);
  });

  it('agrees with node:crypto for every length across the padding boundaries', () => {
    for (let length = 0; length <= 3 * MD5_BLOCK_LENGTH + 1; length++) {
      const bytes = Buffer.alloc(length, length & 0xff);
      expect(md5(bytes).toString('hex'), `length ${length}`).toBe(
        createHash('md5').update(bytes).digest('hex'),
      );
    }
  });

  it('agrees with node:crypto on random input, on a slice, and resumed after a first block', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: MD5_BLOCK_LENGTH, maxLength: 5_000 }),
        fc.nat(),
        fc.nat(),
        (array, first, second) => {
          const bytes = Buffer.from(array);
          const start = first % (bytes.length + 1);
          const end = start + (second % (bytes.length - start + 1));
          expect(md5(bytes, start, end)).toEqual(
            createHash('md5').update(bytes.subarray(start, end)).digest(),
          );
          const resumed = Buffer.alloc(16);
          const state = md5StateAfterBlock(bytes.subarray(0, MD5_BLOCK_LENGTH));
          md5Into(state, MD5_BLOCK_LENGTH, bytes, MD5_BLOCK_LENGTH, bytes.length, resumed);
          expect(resumed).toEqual(createHash('md5').update(bytes).digest());
          // A saved state is not consumed: starting from it again gives the same answer.
          md5Into(state, MD5_BLOCK_LENGTH, bytes, MD5_BLOCK_LENGTH, bytes.length, resumed);
          expect(resumed).toEqual(createHash('md5').update(bytes).digest());
        },
      ),
    );
  });

  it('gives the RFC 2202 HMAC-MD5 test cases through the packet HMAC', () => {
    const cases: Array<[Buffer, Buffer, string]> = [
      [Buffer.alloc(16, 0x0b), Buffer.from('Hi There'), '9294727a3638bb1c13f48ef8158bfc9d'],
      [Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'), '750c783e6ab0b503eaa86e310a5db738'],
      [Buffer.alloc(16, 0xaa), Buffer.alloc(50, 0xdd), '56be34521d144c88dbb8c733f0e8b3f6'],
      [
        Buffer.alloc(80, 0xaa),
        Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'),
        '6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd',
      ],
    ];
    for (const [key, data, digest] of cases) {
      expect(packetHmacMd5(data, undefined, -1, createSharedSecret(key)).toString('hex')).toBe(digest);
      expect(createHmac('md5', key).update(data).digest('hex')).toBe(digest);
    }
  });
});
