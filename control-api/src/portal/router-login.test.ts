// Which login address the portal posts a voucher to, and the HTTP-CHAP password it sends there.
import { createHash, randomBytes } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  chapPasswordOf,
  decodeRouterOctets,
  INLINE_MD5_SCRIPT,
  isRouterLoginUrl,
  readRouterContext,
  routerPasswordOf,
} from './router-login';

const dnsNames = new Set(['hotspot.kilimani.test']);
/** The example values of the RouterOS manual (Hotspot customisation, Miscellaneous variables). */
const MANUAL_CHAP_ID = '\\371';
const MANUAL_CHAP_CHALLENGE =
  '\\357\\015\\330\\013\\021\\234\\145\\245\\303\\253\\142\\246\\133\\175\\375\\316';

describe('isRouterLoginUrl', () => {
  it.each([
    'http://10.5.50.1/login',
    'http://172.16.0.1/login',
    'http://172.31.255.254/login',
    'http://192.168.88.1/login',
    'http://100.64.0.1/login',
    'http://100.127.255.254/login',
    'http://169.254.1.1/login',
    'https://hotspot.kilimani.test/login',
    'http://HOTSPOT.kilimani.test:8080/login',
  ])('accepts the router address %s', (url) => {
    expect(isRouterLoginUrl(url, dnsNames)).toBe(true);
  });

  it.each([
    'https://evil.example/login',
    'http://127.0.0.1:8080/login',
    'http://8.8.8.8/login',
    'http://172.32.0.1/login',
    'http://100.128.0.1/login',
    'http://192.169.0.1/login',
    'http://user:pass@10.5.50.1/login',
    'ftp://10.5.50.1/login',
    'javascript:alert(1)',
    'http://hotspot.kilimani.test.evil.example/login',
    'http://[fe80::1]/login',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isRouterLoginUrl(url, dnsNames)).toBe(false);
  });
});

describe('readRouterContext', () => {
  it('keeps the router login address and the CHAP challenge as the router wrote them', () => {
    const router = readRouterContext(
      {
        'link-login-only': 'http://10.5.50.1/login',
        'link-orig': 'http://example.test/',
        mac: '02:00:00:00:88:01',
        'chap-id': MANUAL_CHAP_ID,
        'chap-challenge': MANUAL_CHAP_CHALLENGE,
      },
      dnsNames,
    );
    expect(router.loginUrl).toBe('http://10.5.50.1/login');
    expect(router.isLoginUrlRefused).toBe(false);
    expect(router.chap?.idText).toBe(MANUAL_CHAP_ID);
    expect(router.chap?.id).toEqual(Buffer.from([0o371]));
    expect(router.chap?.challenge.toString('hex')).toBe('ef0dd80b119c65a5c3ab62a65b7dfdce');
  });

  it('drops a foreign login address, and says it did', () => {
    const router = readRouterContext({ 'link-login-only': 'https://evil.example/login' }, dnsNames);
    expect(router.loginUrl).toBeNull();
    expect(router.isLoginUrlRefused).toBe(true);
    expect(readRouterContext({}, dnsNames).isLoginUrlRefused).toBe(false);
  });

  it('ignores a CHAP challenge that is not octal-escaped bytes', () => {
    for (const [id, challenge] of [
      ['\\371', 'plain text'],
      ['\\371\\372', MANUAL_CHAP_CHALLENGE],
      ['\\400', MANUAL_CHAP_CHALLENGE],
      ['', MANUAL_CHAP_CHALLENGE],
    ])
      expect(readRouterContext({ 'chap-id': id, 'chap-challenge': challenge }, dnsNames).chap).toBeNull();
  });
});

describe('the CHAP password', () => {
  it('is hex MD5 of chap-id, the code and chap-challenge, in that order', () => {
    const router = readRouterContext(
      { 'chap-id': MANUAL_CHAP_ID, 'chap-challenge': MANUAL_CHAP_CHALLENGE },
      dnsNames,
    );
    const expected = createHash('md5')
      .update(
        Buffer.concat([
          Buffer.from('f9', 'hex'),
          Buffer.from('KQ7M2XHP'),
          Buffer.from('ef0dd80b119c65a5c3ab62a65b7dfdce', 'hex'),
        ]),
      )
      .digest('hex');
    expect(router.chap && chapPasswordOf(router.chap, 'KQ7M2XHP')).toBe(expected);
    expect(routerPasswordOf(router, 'KQ7M2XHP')).toBe(expected);
    expect(routerPasswordOf(readRouterContext({}, dnsNames), 'KQ7M2XHP')).toBe('KQ7M2XHP');
  });

  it('decodes octal escapes to bytes', () => {
    expect(decodeRouterOctets('\\000\\177\\377')).toEqual(Buffer.from([0, 127, 255]));
    expect(decodeRouterOctets('\\78')).toBeNull();
  });

  it("matches node's MD5 in the page's inline script, for every block boundary", () => {
    const md5Hex = runInNewContext(`${INLINE_MD5_SCRIPT}; kiungaMd5Hex`) as (octets: number[]) => string;
    for (let length = 0; length <= 200; length += 1) {
      const bytes = randomBytes(length);
      expect(md5Hex([...bytes])).toBe(createHash('md5').update(bytes).digest('hex'));
    }
    // RFC 1321 A.5 test suite.
    expect(md5Hex([...Buffer.from('abc')])).toBe('900150983cd24fb0d6963f7d28e17f72');
  });
});
