// The client's address: the socket's peer, unless that peer is a trusted proxy that says otherwise.
import { describe, expect, it } from 'vitest';
import { clientAddressOf, FORWARDED_HOPS_MAX, normalizeAddress } from './client-address';

const proxy = '10.0.0.2';
const trusted = new Set([proxy, '10.0.0.3']);

describe('clientAddressOf', () => {
  it('ignores X-Forwarded-For from anyone but a trusted proxy', () => {
    expect(clientAddressOf('203.0.113.9', '198.51.100.1', trusted)).toBe('203.0.113.9');
    expect(clientAddressOf('203.0.113.9', '198.51.100.1', new Set())).toBe('203.0.113.9');
    expect(clientAddressOf('::ffff:203.0.113.9', undefined, trusted)).toBe('203.0.113.9');
    expect(clientAddressOf(null, '198.51.100.1', trusted)).toBeNull();
  });

  it('takes the entry the nearest trusted proxy added, not what the client wrote before it', () => {
    expect(clientAddressOf(proxy, '198.51.100.1', trusted)).toBe('198.51.100.1');
    expect(clientAddressOf(`::ffff:${proxy}`, '6.6.6.6, 198.51.100.1', trusted)).toBe('198.51.100.1');
    expect(clientAddressOf(proxy, '6.6.6.6, 198.51.100.1, 10.0.0.3', trusted)).toBe('198.51.100.1');
    expect(clientAddressOf(proxy, undefined, trusted)).toBe(proxy);
  });

  it('stops at an entry that is no address, and at the hop limit', () => {
    expect(clientAddressOf(proxy, 'not-an-ip', trusted)).toBe(proxy);
    expect(clientAddressOf(proxy, '198.51.100.1, junk, 10.0.0.3', trusted)).toBe('10.0.0.3');
    const manyProxies = Array(FORWARDED_HOPS_MAX + 1).fill('10.0.0.3');
    expect(clientAddressOf(proxy, ['198.51.100.1', ...manyProxies].join(','), trusted)).toBe('10.0.0.3');
  });
});

describe('normalizeAddress', () => {
  it('reads an IPv4-mapped IPv6 address as IPv4 and lower-cases IPv6', () => {
    expect(normalizeAddress(' ::FFFF:127.0.0.1 ')).toBe('127.0.0.1');
    expect(normalizeAddress('2001:DB8::1')).toBe('2001:db8::1');
    expect(normalizeAddress('::ffff:abcd')).toBe('::ffff:abcd');
  });
});
