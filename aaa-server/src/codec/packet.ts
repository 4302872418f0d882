// The decoded packet and attribute shapes: offsets into the received buffer, values made on demand.
import { STANDARD_VENDOR_ID } from './limits';

/**
 * One attribute of a decoded packet. It keeps offsets into `raw` rather than a copy so
 * decoding allocates one small object per attribute; `value` makes a view when asked.
 * Standard attributes have vendorId 0 and vendorType 0; vendor attributes have type 26.
 */
export class RadiusAttribute {
  readonly raw: Buffer;
  readonly type: number;
  readonly vendorId: number;
  readonly vendorType: number;
  readonly valueStart: number;
  readonly valueEnd: number;

  constructor(
    raw: Buffer,
    type: number,
    vendorId: number,
    vendorType: number,
    valueStart: number,
    valueEnd: number,
  ) {
    this.raw = raw;
    this.type = type;
    this.vendorId = vendorId;
    this.vendorType = vendorType;
    this.valueStart = valueStart;
    this.valueEnd = valueEnd;
  }

  /** A view (not a copy) of the value; each read makes a new view, so hot paths read once. */
  get value(): Buffer {
    return this.raw.subarray(this.valueStart, this.valueEnd);
  }

  get valueLength(): number {
    return this.valueEnd - this.valueStart;
  }

  get isVendorSpecific(): boolean {
    return this.vendorId !== STANDARD_VENDOR_ID;
  }
}

export interface RadiusPacket {
  readonly code: number;
  readonly identifier: number;
  /** View of octets 4..20 of `raw`. */
  readonly authenticator: Buffer;
  readonly attributes: readonly RadiusAttribute[];
  /** The packet as received, cut to its declared length (trailing padding dropped). */
  readonly raw: Buffer;
  /** Offset in `raw` of the Message-Authenticator value, or -1 when the packet has none. */
  readonly messageAuthenticatorOffset: number;
}

/**
 * An attribute to encode. Decoded RadiusAttribute objects fit this shape too, so a proxy
 * or test can send on what it received. vendorId absent or 0 means a standard attribute.
 */
export interface OutgoingAttribute {
  readonly type: number;
  readonly value: Buffer;
  readonly vendorId?: number;
  readonly vendorType?: number;
}
