// The subscriber input schemas: MAC addresses in every spelling routers and people use become one.
import { describe, expect, it } from 'vitest';
import { createSubscriberInputSchema } from './subscribers';

const base = { username: 'wambui', planId: 'pln_1' };
const macOf = (macAddress: string) => createSubscriberInputSchema.parse({ ...base, macAddress }).macAddress;

describe('macAddress', () => {
  it('takes colon, dash, Cisco-dotted and bare spellings and stores MikroTik’s', () => {
    expect(macOf('02:00:00:aa:bb:cc')).toBe('02:00:00:AA:BB:CC');
    expect(macOf('02-00-00-AA-BB-CC')).toBe('02:00:00:AA:BB:CC');
    expect(macOf('0200.00aa.bbcc')).toBe('02:00:00:AA:BB:CC');
    expect(macOf(' 020000aabbcc ')).toBe('02:00:00:AA:BB:CC');
  });

  it('refuses what is not a MAC address', () => {
    for (const macAddress of [
      '02:00:00:aa:bb',
      '02:00-00:aa:bb:cc',
      '0200.00aa.bbc',
      'zz:00:00:aa:bb:cc',
      '10.0.0.1',
    ]) {
      expect(createSubscriberInputSchema.safeParse({ ...base, macAddress }).success).toBe(false);
    }
  });
});
