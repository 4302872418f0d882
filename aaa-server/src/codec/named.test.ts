// Tests for dictionary-driven, name-based attribute access.
import { PacketCode } from '@kiunga/dictionaries';
import { describe, expect, it } from 'vitest';
import { decodePacket, describePacket, encodeRequest, getNamedValue, namedAttribute } from './index';

const SECRET = 'named-secret';

function accountingWith(attributes: ReturnType<typeof namedAttribute>[]) {
  return decodePacket(
    encodeRequest({ code: PacketCode.AccountingRequest, identifier: 5, attributes, secret: SECRET }),
  );
}

describe('named attribute access', () => {
  const packet = accountingWith([
    namedAttribute('Acct-Status-Type', 'Interim-Update'),
    namedAttribute('Event-Timestamp', new Date('2025-01-02T03:04:05Z')),
    namedAttribute('Framed-IP-Address', '10.5.50.23'),
    namedAttribute('Mikrotik-Rate-Limit', '2M/5M'),
    namedAttribute('Framed-IPv6-Prefix', Buffer.from([0, 64, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1])),
    { type: 250, value: Buffer.from([1]) },
  ]);

  it('reads values typed by the dictionary', () => {
    expect(getNamedValue(packet, 'Acct-Status-Type')).toBe(3);
    expect(getNamedValue(packet, 'Event-Timestamp')).toEqual(new Date('2025-01-02T03:04:05Z'));
    expect(getNamedValue(packet, 'Framed-IP-Address')).toBe('10.5.50.23');
    expect(getNamedValue(packet, 'mikrotik-rate-limit')).toBe('2M/5M');
    expect(getNamedValue(packet, 'Framed-IPv6-Prefix')).toBe('2001:db8:0:1:0:0:0:0/64');
    expect(getNamedValue(packet, 'User-Name')).toBeUndefined();
  });

  it('describes every attribute, naming unknown ones Attr-N', () => {
    const names = describePacket(packet).map((entry) => entry.name);
    expect(names).toEqual([
      'Acct-Status-Type',
      'Event-Timestamp',
      'Framed-IP-Address',
      'Mikrotik-Rate-Limit',
      'Framed-IPv6-Prefix',
      'Attr-250',
    ]);
  });

  it('refuses unknown names and unknown value names', () => {
    expect(() => namedAttribute('No-Such-Attribute', 'x')).toThrow(/unknown attribute/);
    expect(() => namedAttribute('Acct-Status-Type', 'Paused')).toThrow(/no value named/);
  });
});
