// The one error type the codec throws for malformed or unencodable packets, with stable reasons.

export type CodecErrorReason =
  | 'too_short'
  | 'bad_length'
  | 'truncated'
  | 'bad_attribute_length'
  | 'bad_vsa'
  | 'bad_message_authenticator'
  | 'value_too_long'
  | 'packet_too_long'
  | 'bad_password_length'
  | 'bad_ip_address';

/**
 * Thrown for operating errors: a datagram from the network that breaks RFC 2865 framing, or a
 * value from configuration that cannot go on the wire. Intake counts these by `reason` and
 * drops the packet silently, as RFC 2865 §3 asks. Programmer errors throw plain Errors.
 */
export class CodecError extends Error {
  readonly reason: CodecErrorReason;

  constructor(reason: CodecErrorReason, message: string) {
    super(message);
    this.name = 'CodecError';
    this.reason = reason;
  }
}
