// Turns a received datagram into a RadiusPacket, enforcing RFC 2865 §3 and §5.26 framing.
import { Attribute } from '@kiunga/dictionaries';
import { CodecError } from './errors';
import {
  ATTRIBUTE_HEADER_LENGTH,
  AUTHENTICATOR_LENGTH,
  AUTHENTICATOR_OFFSET,
  HEADER_LENGTH,
  MESSAGE_AUTHENTICATOR_LENGTH,
  PACKET_LENGTH_MAX,
  STANDARD_VENDOR_ID,
  UNPARSED_VENDOR_TYPE,
  VENDOR_ID_LENGTH,
} from './limits';
import { RadiusAttribute, type RadiusPacket } from './packet';

const VENDOR_SPECIFIC = Attribute.VendorSpecific;
const MESSAGE_AUTHENTICATOR = Attribute.MessageAuthenticator;

/**
 * Vendors whose Vendor-Specific values do not use the one-octet type and length of
 * RFC 2865 §5.26 (USR: 4-octet type; Lucent: 2-octet type; Starent: 2-octet type and length).
 * Their values are kept whole rather than misparsed.
 */
const NON_STANDARD_FORMAT_VENDORS: ReadonlySet<number> = new Set([429, 4846, 8164]);

/** Decodes a datagram; throws CodecError when it breaks the framing rules. Extra octets are ignored. */
export function decodePacket(datagram: Buffer): RadiusPacket {
  if (datagram.length < HEADER_LENGTH) {
    throw new CodecError('too_short', `datagram of ${datagram.length} octets is shorter than a header`);
  }
  const length = (datagram[2]! << 8) | datagram[3]!;
  if (length < HEADER_LENGTH || length > PACKET_LENGTH_MAX) {
    throw new CodecError('bad_length', `declared length ${length} is outside 20..4096`);
  }
  if (length > datagram.length) {
    throw new CodecError('truncated', `declared length ${length} exceeds datagram of ${datagram.length}`);
  }
  const raw = length === datagram.length ? datagram : datagram.subarray(0, length);
  const attributes: RadiusAttribute[] = [];
  const messageAuthenticatorOffset = decodeAttributes(raw, attributes);
  return {
    code: raw[0]!,
    identifier: raw[1]!,
    authenticator: raw.subarray(AUTHENTICATOR_OFFSET, AUTHENTICATOR_OFFSET + AUTHENTICATOR_LENGTH),
    attributes,
    raw,
    messageAuthenticatorOffset,
  };
}

/** Fills `attributes` and returns the Message-Authenticator value offset (or -1). */
function decodeAttributes(raw: Buffer, attributes: RadiusAttribute[]): number {
  const length = raw.length;
  let messageAuthenticatorOffset = -1;
  let offset = HEADER_LENGTH;
  while (offset < length) {
    const attributeLength = offset + 1 < length ? raw[offset + 1]! : 0;
    const end = offset + attributeLength;
    if (attributeLength < ATTRIBUTE_HEADER_LENGTH || end > length) {
      throw new CodecError('bad_attribute_length', `attribute at offset ${offset} has a bad length`);
    }
    const type = raw[offset]!;
    const valueStart = offset + ATTRIBUTE_HEADER_LENGTH;
    if (type === VENDOR_SPECIFIC) {
      decodeVendorSpecific(raw, valueStart, end, attributes);
    } else {
      if (type === MESSAGE_AUTHENTICATOR) {
        messageAuthenticatorOffset = checkMessageAuthenticatorAttribute(
          valueStart,
          end,
          messageAuthenticatorOffset,
        );
      }
      attributes.push(new RadiusAttribute(raw, type, STANDARD_VENDOR_ID, 0, valueStart, end));
    }
    offset = end;
  }
  return messageAuthenticatorOffset;
}

// A forged or doubled Message-Authenticator must not slip past verification, so both are framing errors.
function checkMessageAuthenticatorAttribute(valueStart: number, end: number, previousOffset: number): number {
  if (end - valueStart !== MESSAGE_AUTHENTICATOR_LENGTH) {
    throw new CodecError('bad_message_authenticator', 'Message-Authenticator is not 16 octets');
  }
  if (previousOffset !== -1) {
    throw new CodecError('bad_message_authenticator', 'more than one Message-Authenticator');
  }
  return valueStart;
}

function decodeVendorSpecific(raw: Buffer, start: number, end: number, attributes: RadiusAttribute[]): void {
  if (end - start <= VENDOR_ID_LENGTH) {
    throw new CodecError('bad_vsa', `Vendor-Specific at offset ${start - 2} has no vendor data`);
  }
  const vendorId = raw.readUInt32BE(start);
  let offset = start + VENDOR_ID_LENGTH;
  if (NON_STANDARD_FORMAT_VENDORS.has(vendorId)) {
    attributes.push(new RadiusAttribute(raw, VENDOR_SPECIFIC, vendorId, UNPARSED_VENDOR_TYPE, offset, end));
    return;
  }
  while (offset < end) {
    const subLength = offset + 1 < end ? raw[offset + 1]! : 0;
    const subEnd = offset + subLength;
    if (subLength < ATTRIBUTE_HEADER_LENGTH || subEnd > end) {
      throw new CodecError(
        'bad_vsa',
        `vendor ${vendorId} sub-attribute at offset ${offset} has a bad length`,
      );
    }
    const vendorType = raw[offset]!;
    attributes.push(
      new RadiusAttribute(
        raw,
        VENDOR_SPECIFIC,
        vendorId,
        vendorType,
        offset + ATTRIBUTE_HEADER_LENGTH,
        subEnd,
      ),
    );
    offset = subEnd;
  }
}
