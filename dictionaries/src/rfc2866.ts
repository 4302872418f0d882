// RFC 2866 (RADIUS accounting) attributes and their named values.
import type { AttributeDefinition } from './types';

const REFERENCE = 'RFC 2866 §5';

export const ACCT_STATUS_TYPE_VALUES = {
  Start: 1,
  Stop: 2,
  'Interim-Update': 3,
  'Accounting-On': 7,
  'Accounting-Off': 8,
} as const;

export const ACCT_TERMINATE_CAUSE_VALUES = {
  'User-Request': 1,
  'Lost-Carrier': 2,
  'Lost-Service': 3,
  'Idle-Timeout': 4,
  'Session-Timeout': 5,
  'Admin-Reset': 6,
  'Admin-Reboot': 7,
  'Port-Error': 8,
  'NAS-Error': 9,
  'NAS-Request': 10,
  'NAS-Reboot': 11,
  'Port-Unneeded': 12,
  'Port-Preempted': 13,
  'Port-Suspended': 14,
  'Service-Unavailable': 15,
  Callback: 16,
  'User-Error': 17,
  'Host-Request': 18,
} as const;

function define(
  name: string,
  code: number,
  type: AttributeDefinition['type'],
  values?: Readonly<Record<string, number>>,
): AttributeDefinition {
  return values
    ? { name, code, type, values, reference: REFERENCE }
    : { name, code, type, reference: REFERENCE };
}

export const rfc2866Attributes: readonly AttributeDefinition[] = [
  define('Acct-Status-Type', 40, 'integer', ACCT_STATUS_TYPE_VALUES),
  define('Acct-Delay-Time', 41, 'integer'),
  define('Acct-Input-Octets', 42, 'integer'),
  define('Acct-Output-Octets', 43, 'integer'),
  define('Acct-Session-Id', 44, 'string'),
  define('Acct-Authentic', 45, 'integer', { RADIUS: 1, Local: 2, Remote: 3 }),
  define('Acct-Session-Time', 46, 'integer'),
  define('Acct-Input-Packets', 47, 'integer'),
  define('Acct-Output-Packets', 48, 'integer'),
  define('Acct-Terminate-Cause', 49, 'integer', ACCT_TERMINATE_CAUSE_VALUES),
  define('Acct-Multi-Session-Id', 50, 'string'),
  define('Acct-Link-Count', 51, 'integer'),
];
