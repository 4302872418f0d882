// Tests for the dictionary loader and that the numeric constants agree with the definitions.
import { describe, expect, it } from 'vitest';
import {
  AcctStatusType,
  Attribute,
  createDictionary,
  defaultDictionary,
  MicrosoftAttribute,
  MikrotikAttribute,
  namedValue,
  PacketCode,
  VendorId,
  valueName,
} from './index';

describe('defaultDictionary', () => {
  it('finds attributes by name without case and by code', () => {
    expect(defaultDictionary.byName('user-name')?.code).toBe(1);
    expect(defaultDictionary.byCode(44)?.name).toBe('Acct-Session-Id');
    expect(defaultDictionary.byCode(8, VendorId.Mikrotik)?.name).toBe('Mikrotik-Rate-Limit');
    expect(defaultDictionary.byCode(11, VendorId.Microsoft)?.name).toBe('MS-CHAP-Challenge');
    expect(defaultDictionary.byCode(254)).toBeUndefined();
    expect(defaultDictionary.vendorByName('mikrotik')?.vendorId).toBe(14988);
  });

  it('knows the data types the codec relies on', () => {
    expect(defaultDictionary.byName('Event-Timestamp')?.type).toBe('date');
    expect(defaultDictionary.byName('Framed-IPv6-Prefix')?.type).toBe('ipv6prefix');
    expect(defaultDictionary.byName('Mikrotik-Host-IP')?.type).toBe('ipaddr');
    expect(defaultDictionary.byName('MS-MPPE-Send-Key')?.encryption).toBe('salted');
  });

  it('maps named values both ways', () => {
    expect(namedValue('Acct-Status-Type', 'Interim-Update')).toBe(3);
    expect(valueName('Acct-Terminate-Cause', 4)).toBe('Idle-Timeout');
    expect(valueName('User-Name', 1)).toBeUndefined();
  });

  it('agrees with every exported numeric constant', () => {
    for (const [key, code] of Object.entries(Attribute)) {
      expect(defaultDictionary.byCode(code), key).toBeDefined();
    }
    for (const code of Object.values(MicrosoftAttribute)) {
      expect(defaultDictionary.byCode(code, VendorId.Microsoft)).toBeDefined();
    }
    for (const code of Object.values(MikrotikAttribute)) {
      expect(defaultDictionary.byCode(code, VendorId.Mikrotik)).toBeDefined();
    }
    expect(namedValue('Acct-Status-Type', 'Accounting-Off')).toBe(AcctStatusType.AccountingOff);
    expect(PacketCode.CoaRequest).toBe(43);
  });

  it('refuses duplicate definitions', () => {
    const userName = { name: 'User-Name', code: 1, type: 'string', reference: 'test' } as const;
    expect(() => createDictionary([userName, userName], [])).toThrow(/duplicate/);
  });
});
