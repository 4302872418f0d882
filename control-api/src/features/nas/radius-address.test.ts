// Where the RouterOS script sends RADIUS when the request names no address: never a host name.
import { describe, expect, it } from 'vitest';
import type { ApiDependencies } from '../../kernel/dependencies';
import { defaultRadiusAddresses } from './setup';

const dependenciesWith = (publicUrl: string, addresses?: string[]) =>
  ({ publicUrl, radius: { addresses, authPort: 1812, acctPort: 1813 } }) as unknown as ApiDependencies;

describe('defaultRadiusAddresses', () => {
  it('uses KIUNGA_RADIUS_PUBLIC_ADDRESS first, in its order', () => {
    expect(
      defaultRadiusAddresses(dependenciesWith('https://kiunga.example', ['203.0.113.11', '203.0.113.10'])),
    ).toEqual(['203.0.113.11', '203.0.113.10']);
  });

  it("falls back to the public URL's host only when it is an IP address", () => {
    expect(defaultRadiusAddresses(dependenciesWith('http://203.0.113.5:8080'))).toEqual(['203.0.113.5']);
    expect(defaultRadiusAddresses(dependenciesWith('http://[2001:db8::5]:8080'))).toEqual(['2001:db8::5']);
    expect(defaultRadiusAddresses(dependenciesWith('https://kiunga.example'))).toBeNull();
  });
});
