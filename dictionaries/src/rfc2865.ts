// RFC 2865 (RADIUS authentication) attributes, written from the RFC's attribute list.
import type { AttributeDefinition } from './types';

const REFERENCE = 'RFC 2865 §5';

const SERVICE_TYPE_VALUES = {
  Login: 1,
  Framed: 2,
  'Callback-Login': 3,
  'Callback-Framed': 4,
  Outbound: 5,
  Administrative: 6,
  'NAS-Prompt': 7,
  'Authenticate-Only': 8,
  'Callback-NAS-Prompt': 9,
  'Call-Check': 10,
  'Callback-Administrative': 11,
} as const;

const FRAMED_PROTOCOL_VALUES = {
  PPP: 1,
  SLIP: 2,
  ARAP: 3,
  'Gandalf-SLML': 4,
  'Xylogics-IPX-SLIP': 5,
  'X.75-Synchronous': 6,
} as const;

const NAS_PORT_TYPE_VALUES = {
  Async: 0,
  Sync: 1,
  ISDN: 2,
  'ISDN-V120': 3,
  'ISDN-V110': 4,
  Virtual: 5,
  PIAFS: 6,
  'HDLC-Clear-Channel': 7,
  'X.25': 8,
  'X.75': 9,
  'G.3-Fax': 10,
  SDSL: 11,
  'ADSL-CAP': 12,
  'ADSL-DMT': 13,
  IDSL: 14,
  Ethernet: 15,
  xDSL: 16,
  Cable: 17,
  'Wireless-Other': 18,
  'Wireless-802.11': 19,
} as const;

function define(
  name: string,
  code: number,
  type: AttributeDefinition['type'],
  extra: Partial<AttributeDefinition> = {},
): AttributeDefinition {
  return { name, code, type, reference: REFERENCE, ...extra };
}

export const rfc2865Attributes: readonly AttributeDefinition[] = [
  define('User-Name', 1, 'string'),
  define('User-Password', 2, 'octets', { encryption: 'user-password' }),
  define('CHAP-Password', 3, 'octets'),
  define('NAS-IP-Address', 4, 'ipaddr'),
  define('NAS-Port', 5, 'integer'),
  define('Service-Type', 6, 'integer', { values: SERVICE_TYPE_VALUES }),
  define('Framed-Protocol', 7, 'integer', { values: FRAMED_PROTOCOL_VALUES }),
  define('Framed-IP-Address', 8, 'ipaddr'),
  define('Framed-IP-Netmask', 9, 'ipaddr'),
  define('Framed-Routing', 10, 'integer', {
    values: { None: 0, Broadcast: 1, Listen: 2, 'Broadcast-Listen': 3 },
  }),
  define('Filter-Id', 11, 'string'),
  define('Framed-MTU', 12, 'integer'),
  define('Framed-Compression', 13, 'integer', {
    values: { None: 0, 'Van-Jacobson-TCP-IP': 1, 'IPX-Header-Compression': 2, 'Stac-LZS': 3 },
  }),
  define('Login-IP-Host', 14, 'ipaddr'),
  define('Login-Service', 15, 'integer'),
  define('Login-TCP-Port', 16, 'integer'),
  define('Reply-Message', 18, 'string'),
  define('Callback-Number', 19, 'string'),
  define('Callback-Id', 20, 'string'),
  define('Framed-Route', 22, 'string'),
  define('Framed-IPX-Network', 23, 'ipaddr'),
  define('State', 24, 'octets'),
  define('Class', 25, 'octets'),
  define('Vendor-Specific', 26, 'vsa'),
  define('Session-Timeout', 27, 'integer'),
  define('Idle-Timeout', 28, 'integer'),
  define('Termination-Action', 29, 'integer', { values: { Default: 0, 'RADIUS-Request': 1 } }),
  define('Called-Station-Id', 30, 'string'),
  define('Calling-Station-Id', 31, 'string'),
  define('NAS-Identifier', 32, 'string'),
  define('Proxy-State', 33, 'octets'),
  define('Login-LAT-Service', 34, 'string'),
  define('Login-LAT-Node', 35, 'string'),
  define('Login-LAT-Group', 36, 'octets'),
  define('Framed-AppleTalk-Link', 37, 'integer'),
  define('Framed-AppleTalk-Network', 38, 'integer'),
  define('Framed-AppleTalk-Zone', 39, 'string'),
  define('CHAP-Challenge', 60, 'octets'),
  define('NAS-Port-Type', 61, 'integer', { values: NAS_PORT_TYPE_VALUES }),
  define('Port-Limit', 62, 'integer'),
  define('Login-LAT-Port', 63, 'string'),
];
