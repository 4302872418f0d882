// Logging a paid or typed voucher in through the MikroTik hotspot: which login address the portal may post
// to, and the HTTP-CHAP password the router expects (RouterOS manual, Hotspot customisation).
//
// The router's login.html (routeros/hotspot-login.ts) forwards `link-login-only`, `chap-id` and
// `chap-challenge` here. "chap-id - value of chap ID ("\371")", "chap-challenge - value of chap challenge
// ("\357\015\330...")": octal-escaped bytes. "The resulting password ... in case of the HTTP-CHAP method is
// formed by MD5-hashing the concatenation of: chap-id, the password of the user, and chap-challenge (in
// the given order)" (Hotspot customisation, Misc), sent as hex like MikroTik's own hexMD5().
import { createHash } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { z } from 'zod';

/** The challenge the router handed out, as it wrote it (octal escapes) and as bytes. */
export interface ChapChallenge {
  idText: string;
  challengeText: string;
  id: Buffer;
  challenge: Buffer;
}

/** What the router put on the URL (login.html forwards these), checked. */
export interface RouterContext {
  /** The router's own login address, or null: absent, or not the router's (then `isLoginUrlRefused`). */
  loginUrl: string | null;
  /** A login address was given but it is not this ISP's hotspot: the code must not be posted there. */
  isLoginUrlRefused: boolean;
  mac: string | null;
  ip: string | null;
  originalUrl: string | null;
  /** Present when the router offered HTTP-CHAP; the password then never leaves the page in clear. */
  chap: ChapChallenge | null;
}

/** RFC 1994 §4.1: the CHAP Identifier is one octet. */
const CHAP_ID_BYTES = 1;
/** MikroTik sends 16 octets; allow up to 64 so a router is never refused, never more (a query is not a file). */
const CHAP_CHALLENGE_BYTES_MAX = 64;
/** Each octet written as a backslash and three octal digits. */
const OCTAL_ESCAPE_CHARACTERS = 4;
/** Browsers and servers handle URLs of a few KB; the router's links are far shorter. */
const ROUTER_URL_LENGTH_MAX = 2048;

const routerText = z.string().max(ROUTER_URL_LENGTH_MAX).optional();
const routerSchema = z.object({
  'link-login-only': routerText,
  'link-orig': routerText,
  mac: z.string().max(64).optional(),
  ip: z.string().max(64).optional(),
  'chap-id': z
    .string()
    .max(CHAP_ID_BYTES * OCTAL_ESCAPE_CHARACTERS)
    .optional(),
  'chap-challenge': z
    .string()
    .max(CHAP_CHALLENGE_BYTES_MAX * OCTAL_ESCAPE_CHARACTERS)
    .optional(),
});

/** `\371\015` → <f9 0d>; null unless the whole text is octal escapes of single bytes. */
export function decodeRouterOctets(text: string): Buffer | null {
  if (!/^(\\[0-3][0-7]{2})+$/.test(text)) return null;
  const octets = text
    .split('\\')
    .slice(1)
    .map((digits) => Number.parseInt(digits, 8));
  return Buffer.from(octets);
}

function readChap(idText: string | undefined, challengeText: string | undefined): ChapChallenge | null {
  if (!idText || !challengeText) return null;
  const id = decodeRouterOctets(idText);
  const challenge = decodeRouterOctets(challengeText);
  if (!id || id.length !== CHAP_ID_BYTES || !challenge) return null;
  return { idText, challengeText, id, challenge };
}

/**
 * The IPv4 ranges a hotspot's own address can be in: RFC 1918 private, RFC 6598 shared (CGNAT) and
 * RFC 3927 link-local, as [first octet, second octet low, second octet high]. Loopback and public
 * addresses are not a router on the client's link. IPv6 is left out: RouterOS hotspot works "only when
 * IPv4 is used" (RouterOS manual, HotSpot).
 */
const ROUTER_ADDRESS_RANGES: ReadonlyArray<readonly [number, number, number]> = [
  [10, 0, 255],
  [172, 16, 31],
  [192, 168, 168],
  [100, 64, 127],
  [169, 254, 254],
];

function isRouterAddress(host: string): boolean {
  if (!isIPv4(host)) return false;
  const [first, second] = host.split('.').map(Number);
  return ROUTER_ADDRESS_RANGES.some(
    ([rangeFirst, secondLow, secondHigh]) =>
      first === rangeFirst && second !== undefined && second >= secondLow && second <= secondHigh,
  );
}

/**
 * True when `url` is this ISP's hotspot login address: http(s), no credentials in it, and its host a
 * private/CGNAT/link-local IPv4 address or the DNS name of one of the ISP's routers. Anything else could be
 * a page that collects voucher codes.
 */
export function isRouterLoginUrl(url: string, hotspotDnsNames: ReadonlySet<string>): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (parsed.username || parsed.password) return false;
  return isRouterAddress(parsed.hostname) || hotspotDnsNames.has(parsed.hostname.toLowerCase());
}

export function readRouterContext(
  values: Record<string, unknown>,
  hotspotDnsNames: ReadonlySet<string>,
): RouterContext {
  const parsed = routerSchema.safeParse(values);
  const value = parsed.success ? parsed.data : {};
  const givenLoginUrl = value['link-login-only'] || null;
  const isAllowed = givenLoginUrl !== null && isRouterLoginUrl(givenLoginUrl, hotspotDnsNames);
  return {
    loginUrl: isAllowed ? givenLoginUrl : null,
    isLoginUrlRefused: givenLoginUrl !== null && !isAllowed,
    mac: value.mac ?? null,
    ip: value.ip ?? null,
    originalUrl: value['link-orig'] ?? null,
    chap: readChap(value['chap-id'], value['chap-challenge']),
  };
}

/** hex(MD5(chap-id ‖ password ‖ chap-challenge)): what the router's login servlet expects in `password`. */
export function chapPasswordOf(chap: ChapChallenge, password: string): string {
  return createHash('md5')
    .update(Buffer.concat([chap.id, Buffer.from(password, 'utf8'), chap.challenge]))
    .digest('hex');
}

/** The password field for the router: CHAP when the router offered it, else the code itself (PAP). */
export function routerPasswordOf(router: RouterContext, code: string): string {
  return router.chap ? chapPasswordOf(router.chap, code) : code;
}

/**
 * MD5 (RFC 1321) for the page's own script, so that a code paid for while the page is open is sent to the
 * router as CHAP without another round trip. `kiungaMd5Hex(bytes)` takes an array of octets.
 */
export const INLINE_MD5_SCRIPT = `function kiungaMd5Hex(m){var K=[],S=[7,12,17,22,5,9,14,20,4,11,16,23,6,10,15,21],i,n=m.length,
t=((n+8)>>6)+1,w=[];for(i=0;i<64;i++)K[i]=Math.floor(Math.abs(Math.sin(i+1))*4294967296)|0;for(i=0;i<t*16;i++)w[i]=0;
for(i=0;i<n;i++)w[i>>2]|=m[i]<<((i%4)*8);w[n>>2]|=128<<((n%4)*8);w[t*16-2]=n*8;w[t*16-1]=Math.floor(n/536870912);
var h=[1732584193,-271733879,-1732584194,271733878];for(var o=0;o<w.length;o+=16){var a=h[0],b=h[1],c=h[2],d=h[3];
for(i=0;i<64;i++){var r=i>>4,f,g;if(r===0){f=(b&c)|(~b&d);g=i}else if(r===1){f=(d&b)|(~d&c);g=(5*i+1)%16}
else if(r===2){f=b^c^d;g=(3*i+5)%16}else{f=c^(b|~d);g=(7*i)%16}var x=(a+f+K[i]+w[o+g])|0,s=S[r*4+i%4];a=d;d=c;c=b;
b=(b+((x<<s)|(x>>>(32-s))))|0}h[0]=(h[0]+a)|0;h[1]=(h[1]+b)|0;h[2]=(h[2]+c)|0;h[3]=(h[3]+d)|0}var out='';
for(i=0;i<16;i++)out+=('0'+((h[i>>2]>>>((i%4)*8))&255).toString(16)).slice(-2);return out}`;

/**
 * The password for the router in the page's script: `kiungaRouterPassword(form, code)` hashes with the
 * challenge the server put on the form (`data-chap-id`, `data-chap-challenge`, hex), else returns the code.
 */
export const INLINE_ROUTER_PASSWORD_SCRIPT = `${INLINE_MD5_SCRIPT}
function kiungaRouterPassword(f,code){var i=f.getAttribute('data-chap-id'),c=f.getAttribute('data-chap-challenge');
if(!i||!c)return code;var h=function(x){var r=[];for(var k=0;k<x.length;k+=2)r.push(parseInt(x.substr(k,2),16));return r};
var s=unescape(encodeURIComponent(code)),b=[];for(var k=0;k<s.length;k++)b.push(s.charCodeAt(k));
return kiungaMd5Hex(h(i).concat(b,h(c)))}`;

/** The challenge as form attributes for INLINE_ROUTER_PASSWORD_SCRIPT (none when the router offered no CHAP). */
export function chapFormAttributes(router: RouterContext): Record<string, string> {
  if (!router.chap) return {};
  return {
    'data-chap-id': router.chap.id.toString('hex'),
    'data-chap-challenge': router.chap.challenge.toString('hex'),
  };
}
