// Fast reads of attributes from a decoded packet by number, without building views unless asked.
import { Attribute } from '@kiunga/dictionaries';
import { STANDARD_VENDOR_ID } from './limits';
import type { RadiusAttribute, RadiusPacket } from './packet';

const INTEGER_LENGTH = 4;
const IPV4_LENGTH = 4;

/** First standard attribute of this type (never a Vendor-Specific one). */
export function findAttribute(packet: RadiusPacket, type: number): RadiusAttribute | undefined {
  const attributes = packet.attributes;
  for (let index = 0; index < attributes.length; index++) {
    const attribute = attributes[index]!;
    if (attribute.type === type && attribute.vendorId === STANDARD_VENDOR_ID) return attribute;
  }
  return undefined;
}

export function findVendorAttribute(
  packet: RadiusPacket,
  vendorId: number,
  vendorType: number,
): RadiusAttribute | undefined {
  const attributes = packet.attributes;
  for (let index = 0; index < attributes.length; index++) {
    const attribute = attributes[index]!;
    if (attribute.vendorId === vendorId && attribute.vendorType === vendorType) return attribute;
  }
  return undefined;
}

export function getAttribute(packet: RadiusPacket, type: number): Buffer | undefined {
  return findAttribute(packet, type)?.value;
}

/** Every value of a repeatable attribute (Class, Proxy-State, Reply-Message), in packet order. */
export function getAttributes(packet: RadiusPacket, type: number): Buffer[] {
  const values: Buffer[] = [];
  for (const attribute of packet.attributes) {
    if (attribute.type === type && attribute.vendorId === STANDARD_VENDOR_ID) values.push(attribute.value);
  }
  return values;
}

export function getVendorAttribute(
  packet: RadiusPacket,
  vendorId: number,
  vendorType: number,
): Buffer | undefined {
  return findVendorAttribute(packet, vendorId, vendorType)?.value;
}

export function hasAttribute(packet: RadiusPacket, type: number): boolean {
  return findAttribute(packet, type) !== undefined;
}

export function readString(attribute: RadiusAttribute | undefined): string | undefined {
  if (attribute === undefined) return undefined;
  return attribute.raw.toString('utf8', attribute.valueStart, attribute.valueEnd);
}

/** A 32-bit unsigned integer; a value of the wrong size reads as absent rather than as garbage. */
export function readInteger(attribute: RadiusAttribute | undefined): number | undefined {
  if (attribute === undefined || attribute.valueLength !== INTEGER_LENGTH) return undefined;
  return attribute.raw.readUInt32BE(attribute.valueStart);
}

/** Dotted IPv4 text; a value of the wrong size reads as absent. */
export function readIpAddress(attribute: RadiusAttribute | undefined): string | undefined {
  if (attribute === undefined || attribute.valueLength !== IPV4_LENGTH) return undefined;
  const raw = attribute.raw;
  const start = attribute.valueStart;
  return `${raw[start]}.${raw[start + 1]}.${raw[start + 2]}.${raw[start + 3]}`;
}

export function getString(packet: RadiusPacket, type: number): string | undefined {
  return readString(findAttribute(packet, type));
}

export function getInteger(packet: RadiusPacket, type: number): number | undefined {
  return readInteger(findAttribute(packet, type));
}

export function getIpAddress(packet: RadiusPacket, type: number): string | undefined {
  return readIpAddress(findAttribute(packet, type));
}

export function getVendorString(
  packet: RadiusPacket,
  vendorId: number,
  vendorType: number,
): string | undefined {
  return readString(findVendorAttribute(packet, vendorId, vendorType));
}

export function getVendorInteger(
  packet: RadiusPacket,
  vendorId: number,
  vendorType: number,
): number | undefined {
  return readInteger(findVendorAttribute(packet, vendorId, vendorType));
}

/** User-Name is read on every request; this names the common case. */
export function getUserName(packet: RadiusPacket): string | undefined {
  return getString(packet, Attribute.UserName);
}
