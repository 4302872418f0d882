// Microsoft vendor attributes (vendor 311, RFC 2548) used for MS-CHAP and MPPE keys.
import type { AttributeDefinition, VendorDefinition } from './types';

export const MICROSOFT_VENDOR_ID = 311;

const REFERENCE = 'RFC 2548 §2';

function define(
  name: string,
  code: number,
  type: AttributeDefinition['type'],
  extra: Partial<AttributeDefinition> = {},
): AttributeDefinition {
  return { name, code, type, vendorId: MICROSOFT_VENDOR_ID, reference: REFERENCE, ...extra };
}

export const microsoftVendor: VendorDefinition = {
  name: 'Microsoft',
  vendorId: MICROSOFT_VENDOR_ID,
  attributes: [
    define('MS-CHAP-Response', 1, 'octets'),
    define('MS-CHAP-Error', 2, 'string'),
    define('MS-CHAP-CPW-1', 3, 'octets'),
    define('MS-CHAP-CPW-2', 4, 'octets'),
    define('MS-CHAP-LM-Enc-PW', 5, 'octets'),
    define('MS-CHAP-NT-Enc-PW', 6, 'octets'),
    define('MS-MPPE-Encryption-Policy', 7, 'integer', {
      values: { 'Encryption-Allowed': 1, 'Encryption-Required': 2 },
    }),
    define('MS-MPPE-Encryption-Types', 8, 'integer', {
      values: { 'RC4-40bit-Allowed': 1, 'RC4-128bit-Allowed': 2, 'RC4-40or128-bit-Allowed': 6 },
    }),
    define('MS-RAS-Vendor', 9, 'integer'),
    define('MS-CHAP-Domain', 10, 'string'),
    define('MS-CHAP-Challenge', 11, 'octets'),
    define('MS-CHAP-MPPE-Keys', 12, 'octets', { encryption: 'user-password' }),
    define('MS-MPPE-Send-Key', 16, 'octets', { encryption: 'salted' }),
    define('MS-MPPE-Recv-Key', 17, 'octets', { encryption: 'salted' }),
    define('MS-RAS-Version', 18, 'string'),
    define('MS-CHAP2-Response', 25, 'octets'),
    define('MS-CHAP2-Success', 26, 'octets'),
    define('MS-CHAP2-CPW', 27, 'octets'),
    define('MS-Primary-DNS-Server', 28, 'ipaddr'),
    define('MS-Secondary-DNS-Server', 29, 'ipaddr'),
    define('MS-Primary-NBNS-Server', 30, 'ipaddr'),
    define('MS-Secondary-NBNS-Server', 31, 'ipaddr'),
  ],
};
