// Shapes of a RADIUS dictionary: attribute definitions, their data types and named values.

/** Data types as the RFCs (and the FreeRADIUS dictionary format) name them. */
export type AttributeDataType =
  | 'string'
  | 'octets'
  | 'integer'
  | 'ipaddr'
  | 'date'
  | 'ipv6addr'
  | 'ipv6prefix'
  | 'ifid'
  | 'vsa';

/**
 * How a value is hidden on the wire: RFC 2865 §5.2 User-Password, RFC 2548 §2.4.2 salted MPPE keys.
 * The codec needs this to avoid showing or comparing ciphertext as if it were the value.
 */
export type AttributeEncryption = 'user-password' | 'salted';

export interface AttributeDefinition {
  readonly name: string;
  readonly code: number;
  readonly type: AttributeDataType;
  /** IANA private enterprise number; absent for attributes of the standard space. */
  readonly vendorId?: number;
  readonly encryption?: AttributeEncryption;
  /** Named integer values, name to number (e.g. Acct-Status-Type Start = 1). */
  readonly values?: Readonly<Record<string, number>>;
  /** Where the attribute is defined, for readers checking a fact. */
  readonly reference: string;
}

export interface VendorDefinition {
  readonly name: string;
  readonly vendorId: number;
  readonly attributes: readonly AttributeDefinition[];
}
