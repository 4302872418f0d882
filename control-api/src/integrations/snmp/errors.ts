// The one error an SNMP poll of a NAS throws: what went wrong, in words an ISP can act on.

export type SnmpPollErrorKind =
  /** No answer in time: the NAS is down or unreachable, SNMP is off, or the community is wrong (SNMPv2c agents drop such requests silently). */
  | 'timeout'
  /** The agent answered with an SNMP error status (RFC 3416 section 3, error-status), e.g. genErr. */
  | 'agent_error'
  /** An answer arrived that is not what the MIB defines (wrong type, OIDs not increasing, unreadable packet). */
  | 'invalid_response'
  /** The local UDP socket failed (no route, address family, closed). */
  | 'network';

export class SnmpPollError extends Error {
  readonly kind: SnmpPollErrorKind;

  constructor(kind: SnmpPollErrorKind, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SnmpPollError';
    this.kind = kind;
  }
}
