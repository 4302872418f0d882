// Tests for decodePacket framing rules and the fast accessors.
import { Attribute, MikrotikAttribute, PacketCode, VendorId } from '@kiunga/dictionaries';
import { describe, expect, it } from 'vitest';
import {
  CodecError,
  type CodecErrorReason,
  decodePacket,
  decryptUserPassword,
  getAttribute,
  getAttributes,
  getInteger,
  getIpAddress,
  getString,
  getVendorAttribute,
  getVendorString,
  UNPARSED_VENDOR_TYPE,
} from './index';
import { SAMPLE_SECRET, sampleHotspotAccessRequest } from './samples';

const AUTHENTICATOR = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

/** A packet with the given attribute octets and a correct Length field. */
function packetWith(attributeOctets: number[], code: number = PacketCode.AccessRequest): Buffer {
  const length = 20 + attributeOctets.length;
  return Buffer.from([code, 7, length >> 8, length & 0xff, ...AUTHENTICATOR, ...attributeOctets]);
}

function reasonOf(datagram: Buffer): CodecErrorReason | 'no error' | 'other error' {
  try {
    decodePacket(datagram);
    return 'no error';
  } catch (error) {
    return error instanceof CodecError ? error.reason : 'other error';
  }
}

describe('decodePacket on a MikroTik hotspot Access-Request', () => {
  const packet = decodePacket(sampleHotspotAccessRequest(AUTHENTICATOR));

  it('reads header, attributes and VSAs', () => {
    expect(packet.code).toBe(PacketCode.AccessRequest);
    expect(packet.identifier).toBe(42);
    expect(packet.authenticator.equals(AUTHENTICATOR)).toBe(true);
    expect(getString(packet, Attribute.UserName)).toBe('VCH-7K3P9Q');
    expect(getInteger(packet, Attribute.NasPort)).toBe(2158821377);
    expect(getIpAddress(packet, Attribute.FramedIpAddress)).toBe('10.5.50.23');
    expect(getVendorAttribute(packet, VendorId.Mikrotik, MikrotikAttribute.HostIp)).toEqual(
      Buffer.from([10, 5, 50, 23]),
    );
    expect(getAttribute(packet, Attribute.State)).toBeUndefined();
  });

  it('puts Message-Authenticator first and records where its value is', () => {
    expect(packet.attributes[0]?.type).toBe(Attribute.MessageAuthenticator);
    expect(packet.messageAuthenticatorOffset).toBe(22);
  });

  it('hands the User-Password to decryption intact', () => {
    const hidden = getAttribute(packet, Attribute.UserPassword)!;
    expect(decryptUserPassword(hidden, SAMPLE_SECRET, packet.authenticator)).toBe('7K3P9Q');
  });
});

describe('decodePacket framing', () => {
  it('ignores octets past the declared length', () => {
    const datagram = Buffer.concat([packetWith([1, 5, 0x61, 0x62, 0x63]), Buffer.from([0xde, 0xad])]);
    const packet = decodePacket(datagram);
    expect(packet.raw.length).toBe(25);
    expect(getString(packet, Attribute.UserName)).toBe('abc');
  });

  it('accepts a packet without attributes and empty values', () => {
    expect(decodePacket(packetWith([])).attributes).toHaveLength(0);
    expect(getString(decodePacket(packetWith([18, 2])), Attribute.ReplyMessage)).toBe('');
  });

  it.each<[string, Buffer, CodecErrorReason]>([
    ['a truncated header', packetWith([]).subarray(0, 19), 'too_short'],
    ['an empty datagram', Buffer.alloc(0), 'too_short'],
    [
      'a declared length under 20',
      Buffer.from([...packetWith([]).subarray(0, 2), 0, 19, ...AUTHENTICATOR]),
      'bad_length',
    ],
    [
      'a declared length over 4096',
      Buffer.concat([Buffer.from([1, 1, 0x10, 0x01]), Buffer.alloc(4097)]),
      'bad_length',
    ],
    ['a declared length beyond the datagram', packetWith([1, 3, 0x61]).subarray(0, 22), 'truncated'],
    ['an attribute of length 0', packetWith([1, 0, 0x61]), 'bad_attribute_length'],
    ['an attribute of length 1', packetWith([1, 1, 0x61]), 'bad_attribute_length'],
    ['an attribute overrunning the packet', packetWith([1, 9, 0x61, 0x62]), 'bad_attribute_length'],
    ['a lone type octet at the end', packetWith([1, 3, 0x61, 18]), 'bad_attribute_length'],
    ['a VSA without vendor data', packetWith([26, 6, 0, 0, 0x3a, 0x8c]), 'bad_vsa'],
    ['a VSA shorter than a vendor id', packetWith([26, 4, 0, 0]), 'bad_vsa'],
    ['a VSA sub-attribute of length 0', packetWith([26, 8, 0, 0, 0x3a, 0x8c, 8, 0]), 'bad_vsa'],
    ['a VSA sub-attribute of length 1', packetWith([26, 8, 0, 0, 0x3a, 0x8c, 8, 1]), 'bad_vsa'],
    ['a VSA sub-attribute overrunning', packetWith([26, 9, 0, 0, 0x3a, 0x8c, 8, 4, 0x61]), 'bad_vsa'],
    ['a VSA with a cut sub-header', packetWith([26, 10, 0, 0, 0x3a, 0x8c, 8, 3, 0x61, 9]), 'bad_vsa'],
    ['a short Message-Authenticator', packetWith([80, 4, 0, 0]), 'bad_message_authenticator'],
    [
      'two Message-Authenticators',
      packetWith([80, 18, ...Buffer.alloc(16), 80, 18, ...Buffer.alloc(16)]),
      'bad_message_authenticator',
    ],
  ])('rejects %s', (_name, datagram, reason) => {
    expect(reasonOf(datagram)).toBe(reason);
  });

  it('splits one VSA carrying several sub-attributes', () => {
    const packet = decodePacket(packetWith([26, 13, 0, 0, 0x3a, 0x8c, 8, 3, 0x61, 19, 4, 0x62, 0x63]));
    expect(packet.attributes.map((attribute) => attribute.vendorType)).toEqual([8, 19]);
    expect(getVendorString(packet, VendorId.Mikrotik, MikrotikAttribute.AddressList)).toBe('bc');
  });

  it('keeps a VSA of a non-standard-format vendor whole', () => {
    const packet = decodePacket(packetWith([26, 11, 0, 0, 0x01, 0xad, 0, 0, 0x90, 0x01, 0x61]));
    expect(packet.attributes[0]?.vendorId).toBe(429);
    expect(packet.attributes[0]?.vendorType).toBe(UNPARSED_VENDOR_TYPE);
    expect(packet.attributes[0]?.value).toEqual(Buffer.from([0, 0, 0x90, 0x01, 0x61]));
  });

  it('reads wrong-sized integers and addresses as absent and lists repeats in order', () => {
    const packet = decodePacket(packetWith([5, 5, 1, 2, 3, 8, 3, 9, 25, 3, 0x61, 25, 3, 0x62]));
    expect(getInteger(packet, Attribute.NasPort)).toBeUndefined();
    expect(getIpAddress(packet, Attribute.FramedIpAddress)).toBeUndefined();
    expect(getAttributes(packet, Attribute.Class).map(String)).toEqual(['a', 'b']);
  });
});
