// Sizes fixed by the RADIUS RFCs, named once so the codec never uses a bare number.

/** Code (1) + Identifier (1) + Length (2) + Authenticator (16), RFC 2865 §3. */
export const HEADER_LENGTH = 20;
/** RFC 2865 §3: the minimum length is 20 and the maximum is 4096. */
export const PACKET_LENGTH_MAX = 4096;
export const AUTHENTICATOR_OFFSET = 4;
export const AUTHENTICATOR_LENGTH = 16;
/** Type (1) + Length (1) in front of every attribute value. */
export const ATTRIBUTE_HEADER_LENGTH = 2;
/** The Length octet counts the header too, so a value holds at most 255 - 2 octets. */
export const ATTRIBUTE_VALUE_LENGTH_MAX = 253;
/** Vendor-Id (4) + Vendor-Type (1) + Vendor-Length (1) inside a Vendor-Specific value. */
export const VENDOR_HEADER_LENGTH = 6;
export const VENDOR_ID_LENGTH = 4;
export const VENDOR_VALUE_LENGTH_MAX = ATTRIBUTE_VALUE_LENGTH_MAX - VENDOR_HEADER_LENGTH;
/** Message-Authenticator is an HMAC-MD5, RFC 3579 §3.2. */
export const MESSAGE_AUTHENTICATOR_LENGTH = 16;
/** Whole Message-Authenticator attribute: header plus the 16-octet HMAC. */
export const MESSAGE_AUTHENTICATOR_ATTRIBUTE_LENGTH = ATTRIBUTE_HEADER_LENGTH + MESSAGE_AUTHENTICATOR_LENGTH;
/** vendorId of an attribute from the standard space (enterprise number 0 is reserved by IANA). */
export const STANDARD_VENDOR_ID = 0;
/** vendorType of a Vendor-Specific attribute whose vendor does not use the RFC 2865 §5.26 layout. */
export const UNPARSED_VENDOR_TYPE = -1;
/** 16 zero octets: the authenticator stand-in of RFC 2866 §3 and RFC 5176 §2.3. */
export const ZERO_AUTHENTICATOR: Buffer = Buffer.alloc(AUTHENTICATOR_LENGTH);
