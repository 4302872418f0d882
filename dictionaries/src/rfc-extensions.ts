// Attributes from the RFCs after 2865/2866 that Kiunga meets: 2869, 3162, 4818 and 5176.
import type { AttributeDefinition } from './types';

export const ERROR_CAUSE_VALUES = {
  'Residual-Session-Context-Removed': 201,
  'Invalid-EAP-Packet': 202,
  'Unsupported-Attribute': 401,
  'Missing-Attribute': 402,
  'NAS-Identification-Mismatch': 403,
  'Invalid-Request': 404,
  'Unsupported-Service': 405,
  'Unsupported-Extension': 406,
  'Invalid-Attribute-Value': 407,
  'Administratively-Prohibited': 501,
  'Request-Not-Routable': 502,
  'Session-Context-Not-Found': 503,
  'Session-Context-Not-Removable': 504,
  'Other-Proxy-Processing-Error': 505,
  'Resources-Unavailable': 506,
  'Request-Initiated': 507,
  'Multiple-Session-Selection-Unsupported': 508,
} as const;

const RFC_2869 = 'RFC 2869 §5';
const RFC_3162 = 'RFC 3162 §2';

export const extensionAttributes: readonly AttributeDefinition[] = [
  { name: 'Acct-Input-Gigawords', code: 52, type: 'integer', reference: RFC_2869 },
  { name: 'Acct-Output-Gigawords', code: 53, type: 'integer', reference: RFC_2869 },
  { name: 'Event-Timestamp', code: 55, type: 'date', reference: RFC_2869 },
  { name: 'Password-Retry', code: 75, type: 'integer', reference: RFC_2869 },
  { name: 'Prompt', code: 76, type: 'integer', values: { 'No-Echo': 0, Echo: 1 }, reference: RFC_2869 },
  { name: 'Connect-Info', code: 77, type: 'string', reference: RFC_2869 },
  { name: 'Configuration-Token', code: 78, type: 'string', reference: RFC_2869 },
  { name: 'EAP-Message', code: 79, type: 'octets', reference: RFC_2869 },
  { name: 'Message-Authenticator', code: 80, type: 'octets', reference: RFC_2869 },
  { name: 'Acct-Interim-Interval', code: 85, type: 'integer', reference: RFC_2869 },
  { name: 'NAS-Port-Id', code: 87, type: 'string', reference: RFC_2869 },
  { name: 'Framed-Pool', code: 88, type: 'string', reference: RFC_2869 },
  { name: 'NAS-IPv6-Address', code: 95, type: 'ipv6addr', reference: RFC_3162 },
  { name: 'Framed-Interface-Id', code: 96, type: 'ifid', reference: RFC_3162 },
  { name: 'Framed-IPv6-Prefix', code: 97, type: 'ipv6prefix', reference: RFC_3162 },
  { name: 'Login-IPv6-Host', code: 98, type: 'ipv6addr', reference: RFC_3162 },
  { name: 'Framed-IPv6-Route', code: 99, type: 'string', reference: RFC_3162 },
  { name: 'Framed-IPv6-Pool', code: 100, type: 'string', reference: RFC_3162 },
  { name: 'Error-Cause', code: 101, type: 'integer', values: ERROR_CAUSE_VALUES, reference: 'RFC 5176 §3.5' },
  { name: 'Delegated-IPv6-Prefix', code: 123, type: 'ipv6prefix', reference: 'RFC 4818 §3' },
];
