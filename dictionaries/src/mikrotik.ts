// MikroTik vendor attributes (vendor 14988) as RouterOS documents them for hotspot and PPP.
import type { AttributeDefinition, VendorDefinition } from './types';

export const MIKROTIK_VENDOR_ID = 14988;

const REFERENCE = 'MikroTik RouterOS RADIUS client manual, vendor 14988';

function define(
  name: string,
  code: number,
  type: AttributeDefinition['type'],
  values?: Readonly<Record<string, number>>,
): AttributeDefinition {
  const base = { name, code, type, vendorId: MIKROTIK_VENDOR_ID, reference: REFERENCE };
  return values ? { ...base, values } : base;
}

export const mikrotikVendor: VendorDefinition = {
  name: 'Mikrotik',
  vendorId: MIKROTIK_VENDOR_ID,
  attributes: [
    define('Mikrotik-Recv-Limit', 1, 'integer'),
    define('Mikrotik-Xmit-Limit', 2, 'integer'),
    define('Mikrotik-Group', 3, 'string'),
    define('Mikrotik-Wireless-Forward', 4, 'integer'),
    define('Mikrotik-Wireless-Skip-Dot1x', 5, 'integer'),
    define('Mikrotik-Wireless-Enc-Algo', 6, 'integer', {
      'No-encryption': 0,
      '40-bit-WEP': 1,
      '104-bit-WEP': 2,
      'AES-CCM': 3,
      TKIP: 4,
    }),
    define('Mikrotik-Wireless-Enc-Key', 7, 'string'),
    define('Mikrotik-Rate-Limit', 8, 'string'),
    define('Mikrotik-Realm', 9, 'string'),
    define('Mikrotik-Host-IP', 10, 'ipaddr'),
    define('Mikrotik-Mark-Id', 11, 'string'),
    define('Mikrotik-Advertise-URL', 12, 'string'),
    define('Mikrotik-Advertise-Interval', 13, 'integer'),
    define('Mikrotik-Recv-Limit-Gigawords', 14, 'integer'),
    define('Mikrotik-Xmit-Limit-Gigawords', 15, 'integer'),
    define('Mikrotik-Wireless-PSK', 16, 'string'),
    define('Mikrotik-Total-Limit', 17, 'integer'),
    define('Mikrotik-Total-Limit-Gigawords', 18, 'integer'),
    define('Mikrotik-Address-List', 19, 'string'),
    define('Mikrotik-Wireless-MPKey', 20, 'string'),
    define('Mikrotik-Wireless-Comment', 21, 'string'),
    define('Mikrotik-Delegated-IPv6-Pool', 22, 'string'),
    define('Mikrotik-DHCP-Option-Set', 23, 'string'),
    define('Mikrotik-DHCP-Option-Param-STR1', 24, 'string'),
    define('Mikrotik-DHCP-Option-Param-STR2', 25, 'string'),
    define('Mikrotik-Wireless-VLANID', 26, 'integer'),
    define('Mikrotik-Wireless-VLANID-Type', 27, 'integer'),
    define('Mikrotik-Wireless-Minsignal', 28, 'string'),
    define('Mikrotik-Wireless-Maxsignal', 29, 'string'),
  ],
};
