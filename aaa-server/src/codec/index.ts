// Public surface of the RADIUS wire layer: decode, encode, authenticators, User-Password hiding.
export * from './accessors';
export * from './attributes';
export { decodePacket } from './decode';
export { type EncodeRequestOptions, type EncodeResponseOptions, encodeRequest, encodeResponse, type Secret } from './encode';
export { CodecError, type CodecErrorReason } from './errors';
export {
  AUTHENTICATOR_LENGTH,
  ATTRIBUTE_VALUE_LENGTH_MAX,
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
export * from './verify';
