// Property tests: decodePacket only ever throws CodecError, and encoded packets decode to what went in.
import { PacketCode } from '@kiunga/dictionaries';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CodecError,
  decodePacket,
  encodeResponse,
  type OutgoingAttribute,
  verifyResponseAuthenticator,
} from './index';

const RUNS = 2000;
const SECRET = 'property-secret';

/** Random bytes behind a plausible header, so many cases reach the attribute parser. */
const plausibleDatagram = fc
  .tuple(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.uint8Array({ maxLength: 300 }))
  .map(([header, body]) => {
    const datagram = Buffer.concat([Buffer.from(header), Buffer.from(body)]);
    datagram.writeUInt16BE(datagram.length, 2);
    return datagram;
  });

const standardAttribute: fc.Arbitrary<OutgoingAttribute> = fc.record({
  type: fc.integer({ min: 1, max: 255 }).filter((type) => type !== 26 && type !== 80),
  value: fc.uint8Array({ maxLength: 253 }).map((bytes) => Buffer.from(bytes)),
});

const vendorSpecific: fc.Arbitrary<OutgoingAttribute> = fc.record({
  type: fc.constant(26),
  vendorId: fc.constantFrom(311, 14988, 9, 2636),
  vendorType: fc.integer({ min: 1, max: 255 }),
  value: fc.uint8Array({ maxLength: 247 }).map((bytes) => Buffer.from(bytes)),
});

function decodeOrReason(datagram: Buffer): unknown {
  try {
    return decodePacket(datagram);
  } catch (error) {
    if (error instanceof CodecError) return error.reason;
    throw error;
  }
}

describe('decodePacket properties', () => {
  it('throws nothing but CodecError on random datagrams', () => {
    const anyDatagram = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
      plausibleDatagram,
    );
    fc.assert(
      fc.property(anyDatagram, (datagram) => {
        decodeOrReason(datagram);
      }),
      { numRuns: RUNS },
    );
  });

  it('decodes encoded packets to the same attributes', () => {
    const attributes = fc.array(fc.oneof(standardAttribute, vendorSpecific), { maxLength: 12 });
    const authenticator = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => Buffer.from(bytes));
    fc.assert(
      fc.property(attributes, authenticator, fc.boolean(), (input, requestAuthenticator, signed) => {
        const datagram = encodeResponse({
          code: PacketCode.AccessAccept,
          identifier: 77,
          requestAuthenticator,
          attributes: input,
          secret: SECRET,
          includeMessageAuthenticator: signed,
        });
        const packet = decodePacket(datagram);
        const decoded = packet.attributes.slice(signed ? 1 : 0).map((attribute) => ({
          type: attribute.type,
          vendorId: attribute.vendorId,
          vendorType: attribute.vendorId ? attribute.vendorType : 0,
          value: attribute.value,
        }));
        const expected = input.map((attribute) => ({
          type: attribute.type,
          vendorId: attribute.vendorId ?? 0,
          vendorType: attribute.vendorType ?? 0,
          value: attribute.value,
        }));
        expect(decoded).toEqual(expected);
        expect(verifyResponseAuthenticator(packet, requestAuthenticator, SECRET)).toBe(true);
      }),
      { numRuns: RUNS / 4 },
    );
  });
});
