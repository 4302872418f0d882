// Tests for encoding with authenticators and Message-Authenticator, checked by independent computation.
import { createHash, createHmac } from 'node:crypto';
import { Attribute, MikrotikAttribute, PacketCode, VendorId } from '@kiunga/dictionaries';
import { describe, expect, it } from 'vitest';
import {
  CodecError,
  checkMessageAuthenticator,
  checkRequestMessageAuthenticator,
  createSharedSecret,
  decodePacket,
  encodeRequest,
  encodeResponse,
  getString,
  getVendorString,
  type OutgoingAttribute,
  splitAttribute,
  stringAttribute,
  vendorAttribute,
  verifyRequestAuthenticator,
  verifyResponseAuthenticator,
  ZERO_AUTHENTICATOR,
} from './index';
import { SAMPLE_SECRET, sampleAcceptAttributes } from './samples';

const REQUEST_AUTHENTICATOR = Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex');

function accept(
  includeMessageAuthenticator: boolean,
  attributes: OutgoingAttribute[] = sampleAcceptAttributes(),
) {
  return encodeResponse({
    code: PacketCode.AccessAccept,
    identifier: 9,
    requestAuthenticator: REQUEST_AUTHENTICATOR,
    attributes,
    secret: SAMPLE_SECRET,
    includeMessageAuthenticator,
  });
}

/** Flips one octet so authenticators and HMACs must fail. */
function tamper(datagram: Buffer, offset: number): Buffer {
  const copy = Buffer.from(datagram);
  copy[offset]! ^= 0x01;
  return copy;
}

describe('encodeResponse', () => {
  it('computes the Response Authenticator of RFC 2865 §3', () => {
    const datagram = accept(false);
    const expected = createHash('md5')
      .update(
        Buffer.concat([
          datagram.subarray(0, 4),
          REQUEST_AUTHENTICATOR,
          datagram.subarray(20),
          Buffer.from(SAMPLE_SECRET),
        ]),
      )
      .digest();
    expect(datagram.subarray(4, 20)).toEqual(expected);
    expect(verifyResponseAuthenticator(decodePacket(datagram), REQUEST_AUTHENTICATOR, SAMPLE_SECRET)).toBe(
      true,
    );
  });

  it('round-trips attributes and vendor attributes', () => {
    const packet = decodePacket(accept(true));
    expect(packet.code).toBe(PacketCode.AccessAccept);
    expect(packet.identifier).toBe(9);
    expect(getString(packet, Attribute.Class)).toBe('vch_01J9Z3K4');
    expect(getVendorString(packet, VendorId.Mikrotik, MikrotikAttribute.RateLimit)).toBe(
      '2M/5M 4M/8M 1536k/3M 16/16 8',
    );
    expect(packet.attributes).toHaveLength(6);
  });

  it('puts a valid Message-Authenticator first, computed with the request authenticator', () => {
    const datagram = accept(true);
    const packet = decodePacket(datagram);
    expect(packet.attributes[0]?.type).toBe(Attribute.MessageAuthenticator);
    const zeroed = Buffer.from(datagram);
    REQUEST_AUTHENTICATOR.copy(zeroed, 4);
    zeroed.fill(0, 22, 38);
    expect(datagram.subarray(22, 38)).toEqual(createHmac('md5', SAMPLE_SECRET).update(zeroed).digest());
    expect(checkMessageAuthenticator(packet, SAMPLE_SECRET, REQUEST_AUTHENTICATOR)).toBe('valid');
    expect(verifyResponseAuthenticator(packet, REQUEST_AUTHENTICATOR, SAMPLE_SECRET)).toBe(true);
  });

  it('reports tampered, wrongly keyed and absent Message-Authenticators', () => {
    const tampered = decodePacket(tamper(accept(true), 47));
    expect(checkMessageAuthenticator(tampered, SAMPLE_SECRET, REQUEST_AUTHENTICATOR)).toBe('invalid');
    expect(verifyResponseAuthenticator(tampered, REQUEST_AUTHENTICATOR, SAMPLE_SECRET)).toBe(false);
    const packet = decodePacket(accept(true));
    expect(checkMessageAuthenticator(packet, 'other-secret', REQUEST_AUTHENTICATOR)).toBe('invalid');
    expect(checkMessageAuthenticator(packet, SAMPLE_SECRET, ZERO_AUTHENTICATOR)).toBe('invalid');
    expect(verifyResponseAuthenticator(packet, REQUEST_AUTHENTICATOR, 'other-secret')).toBe(false);
    expect(checkMessageAuthenticator(decodePacket(accept(false)), SAMPLE_SECRET, REQUEST_AUTHENTICATOR)).toBe(
      'absent',
    );
  });

  it('accepts a prepared shared secret as well as a string', () => {
    const datagram = encodeResponse({
      code: PacketCode.AccessReject,
      identifier: 9,
      requestAuthenticator: REQUEST_AUTHENTICATOR,
      attributes: [],
      secret: createSharedSecret(SAMPLE_SECRET),
    });
    expect(datagram).toEqual(
      encodeResponse({
        code: PacketCode.AccessReject,
        identifier: 9,
        requestAuthenticator: REQUEST_AUTHENTICATOR,
        attributes: [],
        secret: SAMPLE_SECRET,
      }),
    );
  });

  it('refuses over-long values rather than splitting them', () => {
    expect(() => stringAttribute(Attribute.ReplyMessage, 'x'.repeat(254))).toThrow(CodecError);
    expect(stringAttribute(Attribute.ReplyMessage, 'x'.repeat(253)).value).toHaveLength(253);
    expect(() => vendorAttribute(VendorId.Mikrotik, MikrotikAttribute.Group, Buffer.alloc(248))).toThrow(
      CodecError,
    );
    expect(() => accept(true, [{ type: Attribute.Class, value: Buffer.alloc(254) }])).toThrow(
      expect.objectContaining({ reason: 'value_too_long' }),
    );
  });

  it('splits on request only, and refuses a packet over 4096 octets', () => {
    const eapMessage = Buffer.alloc(600, 7);
    const parts = splitAttribute(Attribute.EapMessage, eapMessage);
    expect(parts.map((part) => part.value.length)).toEqual([253, 253, 94]);
    const packet = decodePacket(accept(true, parts));
    expect(Buffer.concat(packet.attributes.slice(1).map((attribute) => attribute.value))).toEqual(eapMessage);
    const tooMany = splitAttribute(Attribute.EapMessage, Buffer.alloc(4096));
    expect(() => accept(true, tooMany)).toThrow(expect.objectContaining({ reason: 'packet_too_long' }));
  });

  it('treats a Message-Authenticator passed as an attribute as a programmer error', () => {
    const attributes = [{ type: Attribute.MessageAuthenticator, value: Buffer.alloc(16) }];
    expect(() => accept(true, attributes)).toThrow(/added by the encoder/);
  });
});

describe('encodeRequest', () => {
  it('gives Access-Request a random authenticator and a valid Message-Authenticator', () => {
    const options = { code: PacketCode.AccessRequest, identifier: 1, attributes: [], secret: SAMPLE_SECRET };
    const first = decodePacket(encodeRequest(options));
    const second = decodePacket(encodeRequest(options));
    expect(first.authenticator.equals(second.authenticator)).toBe(false);
    expect(checkRequestMessageAuthenticator(first, SAMPLE_SECRET)).toBe('valid');
    expect(checkRequestMessageAuthenticator(decodePacket(tamper(first.raw, 10)), SAMPLE_SECRET)).toBe(
      'invalid',
    );
  });

  it('keeps a caller-chosen authenticator and signs Status-Server', () => {
    const datagram = encodeRequest({
      code: PacketCode.StatusServer,
      identifier: 2,
      attributes: [],
      secret: SAMPLE_SECRET,
      authenticator: REQUEST_AUTHENTICATOR,
    });
    const packet = decodePacket(datagram);
    expect(packet.authenticator).toEqual(REQUEST_AUTHENTICATOR);
    expect(checkMessageAuthenticator(packet, SAMPLE_SECRET, REQUEST_AUTHENTICATOR)).toBe('valid');
  });

  it.each([
    ['Accounting-Request', PacketCode.AccountingRequest],
    ['CoA-Request', PacketCode.CoaRequest],
    ['Disconnect-Request', PacketCode.DisconnectRequest],
  ])('computes the %s authenticator over zeros (RFC 2866 §3, RFC 5176 §2.3)', (_name, code) => {
    const attributes = [stringAttribute(Attribute.AcctSessionId, '80d00001')];
    const datagram = encodeRequest({ code, identifier: 3, attributes, secret: SAMPLE_SECRET });
    const zeroed = Buffer.from(datagram).fill(0, 4, 20);
    const expected = createHash('md5').update(zeroed).update(SAMPLE_SECRET).digest();
    expect(datagram.subarray(4, 20)).toEqual(expected);
    const packet = decodePacket(datagram);
    expect(verifyRequestAuthenticator(packet, SAMPLE_SECRET)).toBe(true);
    expect(verifyRequestAuthenticator(packet, 'other-secret')).toBe(false);
    expect(verifyRequestAuthenticator(decodePacket(tamper(datagram, 25)), SAMPLE_SECRET)).toBe(false);
    expect(checkRequestMessageAuthenticator(packet, SAMPLE_SECRET)).toBe('absent');
  });

  it('computes a CoA Message-Authenticator over the zero-authenticator form', () => {
    const attributes = [stringAttribute(Attribute.UserName, 'VCH-7K3P9Q')];
    const datagram = encodeRequest({
      code: PacketCode.CoaRequest,
      identifier: 4,
      attributes,
      secret: SAMPLE_SECRET,
      includeMessageAuthenticator: true,
    });
    const packet = decodePacket(datagram);
    expect(verifyRequestAuthenticator(packet, SAMPLE_SECRET)).toBe(true);
    expect(checkMessageAuthenticator(packet, SAMPLE_SECRET, ZERO_AUTHENTICATOR)).toBe('valid');
    expect(checkRequestMessageAuthenticator(packet, SAMPLE_SECRET)).toBe('valid');
    expect(checkMessageAuthenticator(packet, SAMPLE_SECRET, packet.authenticator)).toBe('invalid');
  });

  it('refuses codes that are not requests, and authenticators it must compute itself', () => {
    const base = { identifier: 1, attributes: [], secret: SAMPLE_SECRET };
    expect(() => encodeRequest({ ...base, code: PacketCode.AccessAccept })).toThrow(/not a request/);
    expect(() =>
      encodeRequest({ ...base, code: PacketCode.AccountingRequest, authenticator: REQUEST_AUTHENTICATOR }),
    ).toThrow(/own authenticator/);
  });
});
