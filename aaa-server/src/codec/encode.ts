// Encodes responses and requests with their authenticators (RFC 2865 §3, 2866 §3, 3579 §3.2, 5176 §2.3).
import { randomBytes } from 'node:crypto';
import { Attribute, PacketCode } from '@kiunga/dictionaries';
import { assertValueFits } from './attributes';
import { packetHmacMd5Into, packetMd5Into, type Secret, type SharedSecret, toSharedSecret } from './digest';
import { CodecError } from './errors';
import {
  ATTRIBUTE_HEADER_LENGTH,
  ATTRIBUTE_VALUE_LENGTH_MAX,
  AUTHENTICATOR_LENGTH,
  AUTHENTICATOR_OFFSET,
  HEADER_LENGTH,
  MESSAGE_AUTHENTICATOR_ATTRIBUTE_LENGTH,
  PACKET_LENGTH_MAX,
  UNPARSED_VENDOR_TYPE,
  VENDOR_HEADER_LENGTH,
  VENDOR_ID_LENGTH,
  VENDOR_VALUE_LENGTH_MAX,
} from './limits';
import type { OutgoingAttribute } from './packet';

export interface EncodeResponseOptions {
  readonly code: number;
  readonly identifier: number;
  readonly requestAuthenticator: Buffer;
  readonly attributes: readonly OutgoingAttribute[];
  readonly secret: Secret;
  /** Put a Message-Authenticator first (BlastRADIUS guidance); defaults to true. */
  readonly includeMessageAuthenticator?: boolean;
}

export interface EncodeRequestOptions {
  readonly code: number;
  readonly identifier: number;
  readonly attributes: readonly OutgoingAttribute[];
  readonly secret: Secret;
  /**
   * Access-Request / Status-Server only: the Request Authenticator to use, when the caller
   * needed it earlier (to encrypt User-Password). Random when absent.
   */
  readonly authenticator?: Buffer;
  /** Defaults to true for Access-Request and Status-Server, false for the others. */
  readonly includeMessageAuthenticator?: boolean;
}

/** Packet codes whose Request Authenticator is random (RFC 2865 §3, RFC 5997 §3). */
const RANDOM_AUTHENTICATOR_CODES: ReadonlySet<number> = new Set([
  PacketCode.AccessRequest,
  PacketCode.StatusServer,
]);
/** Packet codes whose Request Authenticator is an MD5 over the packet (RFC 2866 §3, RFC 5176 §2.3). */
const HASHED_AUTHENTICATOR_CODES: ReadonlySet<number> = new Set([
  PacketCode.AccountingRequest,
  PacketCode.CoaRequest,
  PacketCode.DisconnectRequest,
]);

/** Encodes a reply to a request; Response Authenticator = MD5(Code+ID+Length+RequestAuth+Attributes+Secret). */
export function encodeResponse(options: EncodeResponseOptions): Buffer {
  if (options.requestAuthenticator.length !== AUTHENTICATOR_LENGTH) {
    throw new Error('request authenticator must be 16 octets');
  }
  const includeMessageAuthenticator = options.includeMessageAuthenticator ?? true;
  const packet = writePacket(
    options.code,
    options.identifier,
    options.attributes,
    includeMessageAuthenticator,
  );
  const secret = toSharedSecret(options.secret);
  packet.set(options.requestAuthenticator, AUTHENTICATOR_OFFSET);
  if (includeMessageAuthenticator) signMessageAuthenticator(packet, secret);
  packetMd5Into(packet, undefined, secret, packet, AUTHENTICATOR_OFFSET);
  return packet;
}

/** Encodes a request this server originates (CoA, Disconnect, Status-Server, or a test client's). */
export function encodeRequest(options: EncodeRequestOptions): Buffer {
  const { code } = options;
  if (RANDOM_AUTHENTICATOR_CODES.has(code)) return encodeRandomAuthenticatorRequest(options);
  if (!HASHED_AUTHENTICATOR_CODES.has(code)) throw new Error(`code ${code} is not a request code`);
  if (options.authenticator !== undefined) throw new Error(`code ${code} computes its own authenticator`);
  const includeMessageAuthenticator = options.includeMessageAuthenticator ?? false;
  const packet = writePacket(code, options.identifier, options.attributes, includeMessageAuthenticator);
  // writePacket leaves the authenticator field zero, as both the HMAC and the MD5 require here.
  const secret = toSharedSecret(options.secret);
  if (includeMessageAuthenticator) signMessageAuthenticator(packet, secret);
  packetMd5Into(packet, undefined, secret, packet, AUTHENTICATOR_OFFSET);
  return packet;
}

function encodeRandomAuthenticatorRequest(options: EncodeRequestOptions): Buffer {
  const authenticator = options.authenticator ?? randomBytes(AUTHENTICATOR_LENGTH);
  if (authenticator.length !== AUTHENTICATOR_LENGTH) throw new Error('authenticator must be 16 octets');
  const includeMessageAuthenticator = options.includeMessageAuthenticator ?? true;
  const packet = writePacket(
    options.code,
    options.identifier,
    options.attributes,
    includeMessageAuthenticator,
  );
  authenticator.copy(packet, AUTHENTICATOR_OFFSET);
  if (includeMessageAuthenticator) signMessageAuthenticator(packet, toSharedSecret(options.secret));
  return packet;
}

/** HMAC-MD5 over the packet as it stands, written into the first attribute (RFC 3579 §3.2). */
function signMessageAuthenticator(packet: Buffer, secret: SharedSecret): void {
  const valueOffset = HEADER_LENGTH + ATTRIBUTE_HEADER_LENGTH;
  packetHmacMd5Into(packet, undefined, -1, secret, packet, valueOffset);
}

/** Lays out header and attributes; the authenticator field and any Message-Authenticator are zero. */
function writePacket(
  code: number,
  identifier: number,
  attributes: readonly OutgoingAttribute[],
  includeMessageAuthenticator: boolean,
): Buffer {
  const attributesLength = measureAttributes(attributes);
  const length =
    HEADER_LENGTH +
    (includeMessageAuthenticator ? MESSAGE_AUTHENTICATOR_ATTRIBUTE_LENGTH : 0) +
    attributesLength;
  if (length > PACKET_LENGTH_MAX) {
    throw new CodecError(
      'packet_too_long',
      `encoded packet would be ${length} octets, over ${PACKET_LENGTH_MAX}`,
    );
  }
  const packet = Buffer.allocUnsafe(length);
  packet[0] = code;
  packet[1] = identifier;
  packet[2] = length >> 8;
  packet[3] = length & 0xff;
  // Plain loops and TypedArray set below: Buffer's fill, copy and writeUInt32BE validate in JS per call.
  for (let index = AUTHENTICATOR_OFFSET; index < HEADER_LENGTH; index++) packet[index] = 0;
  let offset = HEADER_LENGTH;
  if (includeMessageAuthenticator) {
    packet[offset] = Attribute.MessageAuthenticator;
    packet[offset + 1] = MESSAGE_AUTHENTICATOR_ATTRIBUTE_LENGTH;
    for (
      let index = offset + ATTRIBUTE_HEADER_LENGTH;
      index < offset + MESSAGE_AUTHENTICATOR_ATTRIBUTE_LENGTH;
      index++
    ) {
      packet[index] = 0;
    }
    offset += MESSAGE_AUTHENTICATOR_ATTRIBUTE_LENGTH;
  }
  for (let index = 0; index < attributes.length; index++) {
    offset = writeAttribute(packet, offset, attributes[index]!);
  }
  return packet;
}

function measureAttributes(attributes: readonly OutgoingAttribute[]): number {
  let total = 0;
  for (let index = 0; index < attributes.length; index++) {
    const attribute = attributes[index]!;
    if (attribute.type === Attribute.MessageAuthenticator) {
      throw new Error('Message-Authenticator is added by the encoder, not passed as an attribute');
    }
    total += encodedLength(attribute);
  }
  return total;
}

function encodedLength(attribute: OutgoingAttribute): number {
  const valueLength = attribute.value.length;
  if (!attribute.vendorId) {
    assertValueFits(valueLength, ATTRIBUTE_VALUE_LENGTH_MAX, attribute.type);
    return ATTRIBUTE_HEADER_LENGTH + valueLength;
  }
  if (attribute.vendorType === UNPARSED_VENDOR_TYPE) {
    assertValueFits(valueLength, ATTRIBUTE_VALUE_LENGTH_MAX - VENDOR_ID_LENGTH, attribute.type);
    return ATTRIBUTE_HEADER_LENGTH + VENDOR_ID_LENGTH + valueLength;
  }
  assertValueFits(valueLength, VENDOR_VALUE_LENGTH_MAX, attribute.vendorType ?? 0);
  return ATTRIBUTE_HEADER_LENGTH + VENDOR_HEADER_LENGTH + valueLength;
}

function writeAttribute(packet: Buffer, offset: number, attribute: OutgoingAttribute): number {
  const value = attribute.value;
  const vendorId = attribute.vendorId;
  if (!vendorId) {
    packet[offset] = attribute.type;
    packet[offset + 1] = ATTRIBUTE_HEADER_LENGTH + value.length;
    packet.set(value, offset + ATTRIBUTE_HEADER_LENGTH);
    return offset + ATTRIBUTE_HEADER_LENGTH + value.length;
  }
  const isUnparsed = attribute.vendorType === UNPARSED_VENDOR_TYPE;
  const innerLength = isUnparsed ? value.length : ATTRIBUTE_HEADER_LENGTH + value.length;
  packet[offset] = Attribute.VendorSpecific;
  packet[offset + 1] = ATTRIBUTE_HEADER_LENGTH + VENDOR_ID_LENGTH + innerLength;
  const vendorIdOffset = offset + ATTRIBUTE_HEADER_LENGTH;
  packet[vendorIdOffset] = vendorId >>> 24;
  packet[vendorIdOffset + 1] = (vendorId >>> 16) & 0xff;
  packet[vendorIdOffset + 2] = (vendorId >>> 8) & 0xff;
  packet[vendorIdOffset + 3] = vendorId & 0xff;
  let valueOffset = offset + ATTRIBUTE_HEADER_LENGTH + VENDOR_ID_LENGTH;
  if (!isUnparsed) {
    packet[valueOffset] = attribute.vendorType ?? 0;
    packet[valueOffset + 1] = ATTRIBUTE_HEADER_LENGTH + value.length;
    valueOffset += ATTRIBUTE_HEADER_LENGTH;
  }
  packet.set(value, valueOffset);
  return valueOffset + value.length;
}
