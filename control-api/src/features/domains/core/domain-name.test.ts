// Custom domain input: what an ISP may claim, and the one form it is stored in.
import { describe, expect, it } from 'vitest';
import { CUSTOM_DOMAIN_LENGTH_MAX, normaliseCustomDomain } from './domain-name';

const PLATFORM_HOSTS = ['kiunga.example.com'];

function domainOf(input: string): string {
  const result = normaliseCustomDomain(input, PLATFORM_HOSTS);
  if (!result.isValid) throw new Error(`${input} was refused: ${result.refusal}`);
  return result.domain;
}

function refusalOf(input: string): string {
  const result = normaliseCustomDomain(input, PLATFORM_HOSTS);
  return result.isValid ? `accepted as ${result.domain}` : result.refusal;
}

describe('normaliseCustomDomain', () => {
  it('lower-cases, drops a trailing dot and surrounding spaces', () => {
    expect(domainOf('  WiFi.Example.CO.KE. ')).toBe('wifi.example.co.ke');
  });

  it('keeps the host of a pasted address', () => {
    expect(domainOf('https://wifi.example.co.ke/portal?x=1')).toBe('wifi.example.co.ke');
  });

  it('turns an internationalised name into punycode A-labels', () => {
    expect(domainOf('wifi.kïunga.co.ke')).toBe('wifi.xn--kunga-cta.co.ke');
    expect(domainOf('WIFI.XN--KUNGA-CTA.CO.KE')).toBe('wifi.xn--kunga-cta.co.ke');
  });

  it('names the registrable domain under the public suffix', () => {
    const result = normaliseCustomDomain('portal.wifi.example.co.ke', PLATFORM_HOSTS);
    expect(result).toEqual({
      isValid: true,
      domain: 'portal.wifi.example.co.ke',
      registrableDomain: 'example.co.ke',
    });
  });

  it('accepts a registrable domain itself', () => {
    expect(domainOf('example.co.ke')).toBe('example.co.ke');
  });

  it('refuses IP addresses in every spelling', () => {
    for (const input of ['192.0.2.10', '[2001:db8::1]', '2001:db8::1', 'http://192.0.2.10/']) {
      expect(refusalOf(input)).toBe('ip_address');
    }
  });

  it('refuses a public suffix on its own, ICANN or private', () => {
    for (const input of ['co.ke', 'ke', 'com', 'github.io']) expect(refusalOf(input)).toBe('public_suffix');
  });

  it('refuses names outside the public DNS', () => {
    for (const input of ['router.local', 'portal.internal', 'localhost', 'wifi.lan']) {
      expect(refusalOf(input)).toBe('unknown_suffix');
    }
  });

  it("refuses Kiunga's own host and names under it", () => {
    expect(refusalOf('Kiunga.Example.com')).toBe('platform_host');
    expect(refusalOf('isp1.kiunga.example.com')).toBe('platform_host');
    // A sibling is another name entirely.
    expect(domainOf('wifi.example.com')).toBe('wifi.example.com');
  });

  it('refuses what is not a host name', () => {
    for (const input of [
      'wifi_portal.example.co.ke',
      '-wifi.example.co.ke',
      'wifi-.example.co.ke',
      'wifi..example.co.ke',
      'wifi example.co.ke',
      'ex%41mple.co.ke',
      'ab--c.example.co.ke',
      'xn--zz.example.co.ke',
      'https://user:pass@wifi.example.co.ke/',
      'https://wifi.example.co.ke:8443/',
    ]) {
      expect(refusalOf(input), input).toBe('not_a_host_name');
    }
  });

  it('refuses empty input and names too long to publish the verification record under', () => {
    expect(refusalOf('   ')).toBe('empty');
    expect(refusalOf(`${'a'.repeat(64)}.example.co.ke`)).toBe('too_long');
    const labels = Array.from({ length: 40 }, () => 'abcdef').join('.');
    const tooLong = `${labels}.example.co.ke`;
    expect(tooLong.length).toBeGreaterThan(CUSTOM_DOMAIN_LENGTH_MAX);
    expect(refusalOf(tooLong)).toBe('too_long');
    const longest = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(32)}.example.co.ke`;
    expect(longest.length).toBe(CUSTOM_DOMAIN_LENGTH_MAX);
    expect(domainOf(longest)).toBe(longest);
    expect(refusalOf(`e${longest}`)).toBe('too_long');
  });
});
