import { describe, expect, it } from 'vitest';
import { darajaTimestamp, parseDarajaTimestamp, stkPassword } from './timestamp';

describe('darajaTimestamp', () => {
  it('writes Nairobi wall time (UTC+3)', () => {
    expect(darajaTimestamp(Date.UTC(2016, 1, 16, 13, 56, 27))).toBe('20160216165627');
  });

  it('rolls over the date when UTC evening is already tomorrow in Nairobi', () => {
    expect(darajaTimestamp(Date.UTC(2025, 11, 31, 22, 0, 5))).toBe('20260101010005');
  });

  it('pads every field to two digits', () => {
    expect(darajaTimestamp(Date.UTC(2026, 0, 1, 0, 0, 0) - 3 * 3_600_000)).toBe('20260101000000');
  });
});

describe('parseDarajaTimestamp', () => {
  it('reads a string or a number back to the same instant', () => {
    const instant = Date.UTC(2023, 11, 10, 10, 34, 16);
    expect(parseDarajaTimestamp('20231210133416')).toBe(instant);
    expect(parseDarajaTimestamp(20231210133416)).toBe(instant);
    expect(parseDarajaTimestamp(darajaTimestamp(instant))).toBe(instant);
  });

  it.each(['2023121013341', '202312101334160', '20230231120000', '20231210246000', 'abcdefghijklmn', ''])(
    'refuses %j',
    (value) => {
      expect(parseDarajaTimestamp(value)).toBeNull();
    },
  );

  it('refuses a non-integer number', () => {
    expect(parseDarajaTimestamp(20231210133416.5)).toBeNull();
  });
});

describe('stkPassword', () => {
  it("is base64 of shortcode + passkey + timestamp (Daraja's sandbox sample)", () => {
    const passkey = 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919';
    const password = stkPassword('174379', passkey, '20160216165627');
    expect(Buffer.from(password, 'base64').toString('utf8')).toBe(`174379${passkey}20160216165627`);
    expect(password).toBe(
      'MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBjODkzMDU5YjEwZjc4ZTZiNzJhZGExZWQyYzkxOTIwMTYwMjE2MTY1NjI3',
    );
  });
});
