// The origin a browser claims for a request: Origin, else the Referer's, else none (no browser).
import { describe, expect, it } from 'vitest';
import { claimedOriginOf, isAllowedOrigin } from './origin';

describe('claimedOriginOf', () => {
  it('takes Origin first, then the origin of the Referer', () => {
    expect(claimedOriginOf('https://a.example', 'https://b.example/page')).toBe('https://a.example');
    expect(claimedOriginOf(undefined, 'https://b.example/isp/vouchers?x=1')).toBe('https://b.example');
    expect(claimedOriginOf('null', 'https://b.example/')).toBe('null');
  });

  it('is undefined without either, and "null" (never allowed) for a Referer that is no URL', () => {
    expect(claimedOriginOf(undefined, undefined)).toBeUndefined();
    expect(claimedOriginOf(undefined, '')).toBeUndefined();
    expect(claimedOriginOf(undefined, 'not a url')).toBe('null');
    expect(isAllowedOrigin(claimedOriginOf(undefined, 'not a url'), 'a.example', 'https://a.example')).toBe(
      false,
    );
  });
});
