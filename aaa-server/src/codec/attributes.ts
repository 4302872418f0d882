// Builders for attributes to encode: value helpers (string, integer, ipaddr, octets) and VSA wrapping.
import { isIPv4 } from 'node:net';
import { CodecError } from './errors';
import { ATTRIBUTE_VALUE_LENGTH_MAX, STANDARD_VENDOR_ID, VENDOR_VALUE_LENGTH_MAX } from './limits';
import type { OutgoingAttribute } from './packet';

const UINT32_MAX = 0xffffffff;
const INTEGER_LENGTH = 4;

export function stringValue(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/** RFC 2865 §5 integer: 32-bit unsigned, network order. */
export function integerValue(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
    throw new Error(`integer attribute value ${value} is not a 32-bit unsigned integer`);
  }
  const buffer = Buffer.allocUnsafe(INTEGER_LENGTH);
  // By hand: writeUInt32BE range-checks again in JS, and this runs for every Session-Timeout.
  buffer[0] = value >>> 24;
  buffer[1] = (value >>> 16) & 0xff;
  buffer[2] = (value >>> 8) & 0xff;
  buffer[3] = value & 0xff;
  return buffer;
}

export function ipAddressValue(address: string): Buffer {
  if (!isIPv4(address)) throw new CodecError('bad_ip_address', `'${address}' is not an IPv4 address`);
  return Buffer.from(address.split('.').map(Number));
}

/**
 * Over-long values are refused, not split: splitting a Reply-Message or Filter-Id changes
 * its meaning on most NASes. The few attributes the RFCs let span several instances
 * (EAP-Message, RFC 3579 §3.1) go through splitAttribute on purpose.
 */
export function attribute(type: number, value: Buffer): OutgoingAttribute {
  assertValueFits(value.length, ATTRIBUTE_VALUE_LENGTH_MAX, type);
  return { type, value, vendorId: STANDARD_VENDOR_ID, vendorType: 0 };
}

export function stringAttribute(type: number, text: string): OutgoingAttribute {
  return attribute(type, stringValue(text));
}

export function integerAttribute(type: number, value: number): OutgoingAttribute {
  return attribute(type, integerValue(value));
}

export function ipAddressAttribute(type: number, address: string): OutgoingAttribute {
  return attribute(type, ipAddressValue(address));
}

export function octetsAttribute(type: number, value: Buffer): OutgoingAttribute {
  return attribute(type, value);
}

/** One vendor sub-attribute; the encoder wraps each in its own Vendor-Specific (26). */
export function vendorAttribute(vendorId: number, vendorType: number, value: Buffer): OutgoingAttribute {
  assertValueFits(value.length, VENDOR_VALUE_LENGTH_MAX, vendorType);
  return { type: 26, value, vendorId, vendorType };
}

/** Cuts a long value into consecutive attributes of one type, for attributes defined to concatenate. */
export function splitAttribute(type: number, value: Buffer): OutgoingAttribute[] {
  const parts: OutgoingAttribute[] = [];
  for (let offset = 0; offset < value.length; offset += ATTRIBUTE_VALUE_LENGTH_MAX) {
    parts.push(attribute(type, value.subarray(offset, offset + ATTRIBUTE_VALUE_LENGTH_MAX)));
  }
  return parts;
}

export function assertValueFits(length: number, lengthMax: number, type: number): void {
  if (length > lengthMax) {
    throw new CodecError(
      'value_too_long',
      `value of attribute ${type} is ${length} octets, over ${lengthMax}`,
    );
  }
}
