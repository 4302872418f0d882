// Public surface of the RADIUS wire layer: decode, encode, authenticators, User-Password hiding.
export * from './accessors';
export * from './attributes';
export { decodePacket } from './decode';
export {
  createSharedSecret,
  SECRET_LENGTH_MAX,
  type Secret,
  type SharedSecret,
  toSharedSecret,
} from './digest';
export {
  type EncodeRequestOptions,
  type EncodeResponseOptions,
  encodeRequest,
  encodeResponse,
} from './encode';
export { CodecError, type CodecErrorReason } from './errors';
export {
  ATTRIBUTE_VALUE_LENGTH_MAX,
  AUTHENTICATOR_LENGTH,
  HEADER_LENGTH,
  PACKET_LENGTH_MAX,
  STANDARD_VENDOR_ID,
  UNPARSED_VENDOR_TYPE,
  VENDOR_VALUE_LENGTH_MAX,
  ZERO_AUTHENTICATOR,
} from './limits';
export * from './named';
export { type OutgoingAttribute, RadiusAttribute, type RadiusPacket } from './packet';
export { decryptUserPassword, encryptUserPassword } from './password';
export * from './samples';
export * from './verify';
