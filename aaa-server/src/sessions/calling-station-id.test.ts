// Every spelling of one MAC must name one device, and non-MAC values must still compare with themselves.
import { describe, expect, it } from 'vitest';
import { normalizeCallingStationId } from './calling-station-id';

describe('normalizeCallingStationId', () => {
  it.each([
    ['AA-BB-CC-DD-EE-0F', 'aa:bb:cc:dd:ee:0f'],
    ['aa:bb:cc:dd:ee:0f', 'aa:bb:cc:dd:ee:0f'],
    ['AA:BB:CC:DD:EE:0F', 'aa:bb:cc:dd:ee:0f'],
    ['aabb.ccdd.ee0f', 'aa:bb:cc:dd:ee:0f'],
    ['AABBCCDDEE0F', 'aa:bb:cc:dd:ee:0f'],
    [' aa-bb-cc-dd-ee-0f ', 'aa:bb:cc:dd:ee:0f'],
  ])('%s becomes %s', (input, expected) => {
    expect(normalizeCallingStationId(input)).toBe(expected);
  });

  it('keeps a value that is not a MAC, lower-cased', () => {
    expect(normalizeCallingStationId(' 10.0.0.7 ')).toBe('10.0.0.7');
    expect(normalizeCallingStationId('+254700000001')).toBe('+254700000001');
    expect(normalizeCallingStationId('')).toBe('');
  });
});
