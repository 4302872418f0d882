// Name-based, typed access through the dictionary, for tests, tools and logs (not the hot path).
import { type AttributeDefinition, type Dictionary, defaultDictionary } from '@kiunga/dictionaries';
import { attribute, integerValue, ipAddressValue, stringValue, vendorAttribute } from './attributes';
import type { OutgoingAttribute, RadiusAttribute, RadiusPacket } from './packet';

export type AttributeValue = string | number | Date | Buffer;

const FOUR_OCTETS = 4;
const IPV6_LENGTH = 16;
const IPV6_GROUP_LENGTH = 2;
const MILLISECONDS_PER_SECOND = 1000;
/** ipv6prefix: reserved octet, prefix-length octet, then up to 16 prefix octets (RFC 3162 §2.3). */
const PREFIX_HEADER_LENGTH = 2;

/** Decodes a value by its dictionary type; a value of the wrong size stays as raw octets. */
export function decodeValue(definition: AttributeDefinition, value: Buffer): AttributeValue {
  switch (definition.type) {
    case 'string':
      return value.toString('utf8');
    case 'integer':
      return value.length === FOUR_OCTETS ? value.readUInt32BE(0) : value;
    case 'date':
      return value.length === FOUR_OCTETS ? new Date(value.readUInt32BE(0) * MILLISECONDS_PER_SECOND) : value;
    case 'ipaddr':
      return value.length === FOUR_OCTETS ? value.join('.') : value;
    case 'ipv6addr':
      return value.length === IPV6_LENGTH ? formatIpv6(value) : value;
    case 'ipv6prefix':
      return decodeIpv6Prefix(value);
    default:
      return value;
  }
}

function decodeIpv6Prefix(value: Buffer): AttributeValue {
  if (value.length < PREFIX_HEADER_LENGTH || value.length > PREFIX_HEADER_LENGTH + IPV6_LENGTH) return value;
  const address = Buffer.alloc(IPV6_LENGTH);
  value.copy(address, 0, PREFIX_HEADER_LENGTH);
  return `${formatIpv6(address)}/${value[1]}`;
}

/** Full, uncompressed hex groups: enough for tools and logs, and unambiguous. */
function formatIpv6(address: Buffer): string {
  const groups: string[] = [];
  for (let offset = 0; offset < IPV6_LENGTH; offset += IPV6_GROUP_LENGTH) {
    groups.push(address.readUInt16BE(offset).toString(16));
  }
  return groups.join(':');
}

/** Encodes a value by dictionary type; named integer values may be given by name ('Stop'). */
export function encodeValue(definition: AttributeDefinition, value: AttributeValue): Buffer {
  if (Buffer.isBuffer(value)) return value;
  switch (definition.type) {
    case 'integer':
      return integerValue(typeof value === 'string' ? namedNumber(definition, value) : Number(value));
    case 'date':
      return integerValue(
        value instanceof Date ? Math.floor(value.getTime() / MILLISECONDS_PER_SECOND) : Number(value),
      );
    case 'ipaddr':
      return ipAddressValue(String(value));
    case 'string':
      return stringValue(String(value));
    default:
      throw new Error(`${definition.name} (${definition.type}) takes a Buffer of wire octets`);
  }
}

function namedNumber(definition: AttributeDefinition, valueName: string): number {
  const number = definition.values?.[valueName];
  if (number === undefined) throw new Error(`${definition.name} has no value named ${valueName}`);
  return number;
}

/** Builds an attribute from its dictionary name, e.g. namedAttribute('Mikrotik-Rate-Limit', '2M/2M'). */
export function namedAttribute(
  name: string,
  value: AttributeValue,
  dictionary: Dictionary = defaultDictionary,
): OutgoingAttribute {
  const definition = requireDefinition(name, dictionary);
  const encoded = encodeValue(definition, value);
  return definition.vendorId === undefined
    ? attribute(definition.code, encoded)
    : vendorAttribute(definition.vendorId, definition.code, encoded);
}

/** First value of a named attribute, typed by the dictionary. */
export function getNamedValue(
  packet: RadiusPacket,
  name: string,
  dictionary: Dictionary = defaultDictionary,
): AttributeValue | undefined {
  const definition = requireDefinition(name, dictionary);
  const vendorId = definition.vendorId ?? 0;
  const found = packet.attributes.find((candidate) => matches(candidate, definition.code, vendorId));
  return found === undefined ? undefined : decodeValue(definition, found.value);
}

function matches(candidate: RadiusAttribute, code: number, vendorId: number): boolean {
  return vendorId === 0
    ? candidate.vendorId === 0 && candidate.type === code
    : candidate.vendorId === vendorId && candidate.vendorType === code;
}

export interface NamedAttribute {
  readonly name: string;
  readonly value: AttributeValue;
}

/** Every attribute with its name and typed value; unknown ones are named like FreeRADIUS does (Attr-N). */
export function describePacket(
  packet: RadiusPacket,
  dictionary: Dictionary = defaultDictionary,
): NamedAttribute[] {
  return packet.attributes.map((candidate) => {
    const code = candidate.vendorId === 0 ? candidate.type : candidate.vendorType;
    const definition = dictionary.byCode(code, candidate.vendorId);
    if (definition === undefined) {
      const name = candidate.vendorId === 0 ? `Attr-${code}` : `Vendor-${candidate.vendorId}-Attr-${code}`;
      return { name, value: candidate.value };
    }
    return { name: definition.name, value: decodeValue(definition, candidate.value) };
  });
}

function requireDefinition(name: string, dictionary: Dictionary): AttributeDefinition {
  const definition = dictionary.byName(name);
  if (definition === undefined) throw new Error(`unknown attribute ${name}`);
  return definition;
}
