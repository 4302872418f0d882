// Host-header routing and the TLS ask answer, as a browser's Host and Caddy's ?domain= would reach them.
import { describe, expect, it } from 'vitest';
import { hostNameOf, routeHost, tlsAskStatus } from './host-routing';

const VERIFIED = new Map([
  ['wifi.example.co.ke', 'tnt_kilimani'],
  ['wifi.xn--kunga-cta.co.ke', 'tnt_kiunga_idn'],
]);
const PLATFORM_HOSTS = ['kiunga.example.com', '127.0.0.1'];

describe('hostNameOf', () => {
  it('strips the port, folds case and drops a trailing dot', () => {
    expect(hostNameOf('WiFi.Example.co.ke:8080')).toBe('wifi.example.co.ke');
    expect(hostNameOf('wifi.example.co.ke.')).toBe('wifi.example.co.ke');
    expect(hostNameOf('wifi.example.co.ke.:443')).toBe('wifi.example.co.ke');
  });

  it('keeps IP literals, IPv6 without brackets', () => {
    expect(hostNameOf('127.0.0.1:8080')).toBe('127.0.0.1');
    expect(hostNameOf('[::1]:8080')).toBe('::1');
    expect(hostNameOf('[2001:DB8::1]')).toBe('2001:db8::1');
  });

  it('has no answer for what is not a Host', () => {
    for (const header of [undefined, null, '', 'a b', 'host:port', 'x'.repeat(400), '[not-ip]:80']) {
      expect(hostNameOf(header), String(header)).toBeNull();
    }
  });
});

describe('routeHost', () => {
  it('sends a verified domain to its ISP, however the Host is spelled', () => {
    for (const header of ['wifi.example.co.ke', 'WIFI.EXAMPLE.CO.KE:443', 'wifi.example.co.ke.']) {
      expect(routeHost(header, VERIFIED, PLATFORM_HOSTS)).toEqual({
        kind: 'tenant',
        tenantId: 'tnt_kilimani',
        domain: 'wifi.example.co.ke',
      });
    }
    expect(routeHost('wifi.kïunga.co.ke', VERIFIED, PLATFORM_HOSTS)).toMatchObject({
      tenantId: 'tnt_kiunga_idn',
    });
  });

  it("keeps Kiunga's own host, IP addresses and a missing Host on the platform", () => {
    for (const header of [
      'kiunga.example.com:8080',
      '127.0.0.1:8080',
      '[::1]:8080',
      '203.0.113.5',
      undefined,
    ]) {
      expect(routeHost(header, VERIFIED, PLATFORM_HOSTS), String(header)).toEqual({ kind: 'platform' });
    }
  });

  it('answers unknown for a name that is not verified, including a parent or child of one', () => {
    for (const header of ['example.co.ke', 'x.wifi.example.co.ke', 'other.co.ke']) {
      expect(routeHost(header, VERIFIED, PLATFORM_HOSTS)).toEqual({ kind: 'unknown', host: header });
    }
  });
});

describe('tlsAskStatus', () => {
  it('answers 200 for a verified domain and 404 for anything else', () => {
    expect(tlsAskStatus('wifi.example.co.ke', VERIFIED)).toBe(200);
    expect(tlsAskStatus('WIFI.example.co.ke', VERIFIED)).toBe(200);
    for (const domain of ['example.co.ke', 'kiunga.example.com', '127.0.0.1', '', undefined, null]) {
      expect(tlsAskStatus(domain, VERIFIED), String(domain)).toBe(404);
    }
  });
});
