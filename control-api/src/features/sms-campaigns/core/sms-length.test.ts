// SMS parts as the gateway bills them: GSM-7 160/153 septets, escapes as two, UCS-2 70/67, nothing split.
import { describe, expect, it } from 'vitest';
import { gsmSeptetsOf, measureSms } from './sms-length';

describe('measureSms', () => {
  it('fits 160 GSM-7 characters in one part and cuts longer text in parts of 153', () => {
    expect(measureSms('a'.repeat(160))).toEqual({
      encoding: 'GSM-7',
      units: 160,
      parts: 1,
      nonGsmCharacters: [],
    });
    expect(measureSms('a'.repeat(161)).parts).toBe(2);
    expect(measureSms('a'.repeat(306)).parts).toBe(2);
    expect(measureSms('a'.repeat(307)).parts).toBe(3);
    expect(measureSms('').parts).toBe(0);
  });

  it('counts the extension table as two septets and never splits one across parts', () => {
    expect(gsmSeptetsOf('€')).toBe(2);
    expect(gsmSeptetsOf('{')).toBe(2);
    expect(gsmSeptetsOf('é')).toBe(1);
    expect(measureSms('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, parts: 1 });
    // 152 septets, then a two-septet character that would straddle the first part's end.
    const straddling = `${'a'.repeat(152)}€${'a'.repeat(10)}`;
    expect(measureSms(straddling)).toMatchObject({ units: 164, parts: 2 });
    const exact = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    // 152 + 2 + 152 = 306 septets, but the € cannot sit at septet 153: a third part is needed.
    expect(measureSms(exact)).toMatchObject({ units: 306, parts: 3 });
  });

  it('switches to UCS-2 for any character outside GSM-7 and lists the culprits', () => {
    const curly = 'Your voucher’s code is K7M2QX';
    expect(measureSms(curly)).toEqual({
      encoding: 'UCS-2',
      units: curly.length,
      parts: 1,
      nonGsmCharacters: ['’'],
    });
    expect(measureSms(`${'a'.repeat(69)}’`).parts).toBe(1);
    expect(measureSms(`${'a'.repeat(70)}’`).parts).toBe(2);
    expect(measureSms(`${'a'.repeat(133)}’`).parts).toBe(2);
    expect(measureSms(`${'a'.repeat(134)}’`).parts).toBe(3);
    expect(measureSms('ç').encoding).toBe('UCS-2');
  });

  it('counts an emoji as two UCS-2 units and keeps its pair in one part', () => {
    expect(measureSms('😀'.repeat(35))).toMatchObject({ units: 70, parts: 1 });
    // 66 units, then an emoji (2 units) that would straddle 67.
    const straddling = `${'a'.repeat(66)}😀${'a'.repeat(10)}`;
    expect(measureSms(straddling)).toMatchObject({ units: 78, parts: 2, nonGsmCharacters: ['😀'] });
  });
});
