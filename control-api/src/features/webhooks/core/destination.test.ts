import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressRefusal, checkWebhookUrl } from './destination';

const strict = { isPrivateAllowed: false };
const demo = { isPrivateAllowed: true };

function reasonFor(url: string, policy = strict): string | null {
  const check = checkWebhookUrl(url, policy);
  return check.isAllowed ? null : check.reason;
}

describe('checkWebhookUrl', () => {
  it('takes public https URLs and leaves named hosts to the resolver', () => {
    const check = checkWebhookUrl('https://billing.isp.example/hooks/kiunga?x=1', strict);
    expect(check).toMatchObject({ isAllowed: true, hostname: 'billing.isp.example', address: null });
    expect(checkWebhookUrl('https://8.8.8.8/hook', strict)).toMatchObject({
      isAllowed: true,
      address: '8.8.8.8',
    });
    expect(checkWebhookUrl('https://[2606:4700::1111]/hook', strict)).toMatchObject({
      isAllowed: true,
      address: '2606:4700::1111',
    });
  });

  it('refuses plain http, credentials and fragments outside the demo', () => {
    expect(reasonFor('http://billing.isp.example/hook')).toMatch(/https/);
    expect(reasonFor('ftp://billing.isp.example/hook', demo)).toMatch(/https/);
    expect(reasonFor('https://user:pw@billing.isp.example/hook')).toMatch(/username or password/);
    expect(reasonFor('https://billing.isp.example/hook#x')).toMatch(/fragment/);
    expect(reasonFor(`https://a.example/${'x'.repeat(2048)}`)).toMatch(/2048/);
    expect(reasonFor('not a url')).toBe('not a URL');
  });

  it('refuses every spelling of loopback, private and metadata addresses', () => {
    for (const url of [
      'https://127.0.0.1/',
      'https://2130706433/',
      'https://0x7f.1/',
      'https://017700000001/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::ffff:a00:5]/',
      'https://10.0.0.5/',
      'https://172.16.3.4/',
      'https://192.168.88.1/',
      'https://100.64.0.1/',
      'https://169.254.169.254/latest/meta-data',
      'https://0.0.0.0/',
      'https://224.0.0.1/',
      'https://[fd00::1]/',
      'https://[fe80::1]/',
      'https://[64:ff9b::a00:5]/',
    ]) {
      expect(reasonFor(url), url).not.toBeNull();
    }
  });

  it('lets the demo deliver to loopback over plain http', () => {
    expect(checkWebhookUrl('http://127.0.0.1:8099/hook', demo)).toMatchObject({
      isAllowed: true,
      address: '127.0.0.1',
    });
  });
});

describe('addressRefusal', () => {
  it('refuses any address in the private, loopback, link-local and CGNAT blocks, in IPv4 or mapped form', () => {
    const block = (first: number, second: fc.Arbitrary<number>) =>
      fc.tuple(second, fc.nat(255), fc.nat(255)).map(([b, c, d]) => `${first}.${b}.${c}.${d}`);
    const privateAddress = fc.oneof(
      block(10, fc.nat(255)),
      block(127, fc.nat(255)),
      block(172, fc.integer({ min: 16, max: 31 })),
      block(192, fc.constant(168)),
      block(169, fc.constant(254)),
      block(100, fc.integer({ min: 64, max: 127 })),
    );
    fc.assert(
      fc.property(privateAddress, (address) => {
        return (
          addressRefusal(address, strict) !== null && addressRefusal(`::ffff:${address}`, strict) !== null
        );
      }),
    );
  });

  it('allows public unicast addresses, and everything in the demo', () => {
    expect(addressRefusal('41.90.64.10', strict)).toBeNull();
    expect(addressRefusal('2c0f:fe38::1', strict)).toBeNull();
    expect(addressRefusal('127.0.0.1', demo)).toBeNull();
    expect(addressRefusal('10.0.0.5', strict)).toBe('10.0.0.5 is a private (RFC 1918) address');
    expect(addressRefusal('bogus', demo)).not.toBeNull();
  });
});
