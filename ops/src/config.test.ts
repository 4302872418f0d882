// Configuration: the trusted proxies list is validated at start and normalized.
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config';

describe('KIUNGA_TRUSTED_PROXIES', () => {
  it('is empty by default: X-Forwarded-For is trusted from nobody', () => {
    expect([...readConfig({}).trustedProxies]).toEqual([]);
  });

  it('takes comma-separated IPv4 and IPv6 addresses', () => {
    const config = readConfig({ KIUNGA_TRUSTED_PROXIES: '127.0.0.1, ::FFFF:10.0.0.2,2001:db8::1' });
    expect([...config.trustedProxies]).toEqual(['127.0.0.1', '10.0.0.2', '2001:db8::1']);
  });

  it('refuses anything that is not an IP address', () => {
    expect(() => readConfig({ KIUNGA_TRUSTED_PROXIES: '10.0.0.0/8' })).toThrow(ConfigError);
    expect(() => readConfig({ KIUNGA_TRUSTED_PROXIES: 'proxy.local' })).toThrow(/KIUNGA_TRUSTED_PROXIES/);
  });
});
