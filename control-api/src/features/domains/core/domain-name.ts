// An ISP's custom domain as Kiunga stores it: a registrable DNS host name, never an IP address or
// Kiunga's own host, lower-cased, IDN in punycode (A-labels), no trailing dot.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { VERIFICATION_RECORD_PREFIX } from './verification-record';

/** RFC 1035 §2.3.4: 255 octets on the wire is 253 characters of text without the trailing dot. */
export const HOST_NAME_LENGTH_MAX = 253;
/** RFC 1035 §2.3.4: labels are 63 octets or less. */
export const LABEL_LENGTH_MAX = 63;
/**
 * The verification record `_kiunga-verify.<domain>` must itself be a valid name, so the domain leaves room
 * for the prefix and its dot.
 */
export const CUSTOM_DOMAIN_LENGTH_MAX = HOST_NAME_LENGTH_MAX - VERIFICATION_RECORD_PREFIX.length - 1;
/** What a person may paste (a URL with a path included); anything longer is not a domain. */
const DOMAIN_INPUT_LENGTH_MAX = 2048;
/** RFC 1123 §2.1 host name label: letters, digits and hyphens, neither first nor last a hyphen. */
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** RFC 5891 §4.2.3.1: a label may not have hyphens in both the third and fourth positions unless it is an A-label. */
const RESERVED_HYPHENS = /^..--/;

export type DomainRefusal =
  /** Nothing was typed. */
  | 'empty'
  /** Longer than CUSTOM_DOMAIN_LENGTH_MAX, or a label over 63 characters. */
  | 'too_long'
  /** Not letters, digits, hyphens and dots (after IDN conversion), or an empty label. */
  | 'not_a_host_name'
  /** An IPv4 or IPv6 address: certificates and Host routing need a name. */
  | 'ip_address'
  /** A public suffix itself (`co.ke`, `com`, `github.io`): nobody can prove control of all of it. */
  | 'public_suffix'
  /** A top-level domain the Public Suffix List does not know (`.local`, `.internal`, `.lan`). */
  | 'unknown_suffix'
  /** Kiunga's own host name or a name under it. */
  | 'platform_host';

export type DomainNameResult =
  | { readonly isValid: true; readonly domain: string; readonly registrableDomain: string }
  | { readonly isValid: false; readonly refusal: DomainRefusal };

/** What a person reads for each refusal (the integration maps it onto `validation_failed`). */
export const domainRefusalMessages: Readonly<Record<DomainRefusal, string>> = {
  empty: 'Enter the domain, like wifi.example.co.ke.',
  too_long: 'That domain is too long.',
  not_a_host_name: 'Enter a domain name only, like wifi.example.co.ke (letters, digits, hyphens and dots).',
  ip_address: 'Enter a domain name, not an IP address.',
  public_suffix: 'Enter a domain you own, like wifi.example.co.ke, not a public ending like co.ke.',
  unknown_suffix: 'That domain does not end in a public top-level domain (like .co.ke or .com).',
  platform_host: 'That is the platform’s own domain. Enter a domain you own.',
};

const refused = (refusal: DomainRefusal): DomainNameResult => ({ isValid: false, refusal });

/** "https://Wifi.Example.co.ke/" or "wifi.example.co.ke." → "wifi.example.co.ke" (still unchecked). */
function hostPartOf(input: string): string | null {
  const trimmed = input.trim();
  if (!trimmed.includes('://')) return trimmed;
  try {
    const url = new URL(trimmed);
    // A path or query means the person pasted a page, not a site; the host alone is what we keep.
    if (url.username || url.password || url.port) return null;
    return url.hostname;
  } catch {
    return null;
  }
}

/** The A-label form of `host` (UTS #46 through WHATWG's domainToASCII), or null when it cannot be one. */
export function toAsciiHostName(host: string): string | null {
  // `%` would be percent-decoded by domainToASCII: a typed domain never holds one.
  if (host.includes('%') || /\s/.test(host)) return null;
  const withoutDot = host.endsWith('.') ? host.slice(0, -1) : host;
  const ascii = domainToASCII(withoutDot);
  return ascii === '' ? null : ascii.toLowerCase();
}

function hasValidLabels(ascii: string): boolean {
  return ascii
    .split('.')
    .every((label) => HOST_LABEL.test(label) && (!RESERVED_HYPHENS.test(label) || label.startsWith('xn--')));
}

/** True when `domain` is `host` itself or a name under it. */
export function isSameOrUnder(domain: string, host: string): boolean {
  return domain === host || domain.endsWith(`.${host}`);
}

/**
 * Checks and normalises what an ISP typed as its custom domain. `platformHosts` are Kiunga's own host
 * names (from KIUNGA_PUBLIC_URL and any alias), already lower-case ASCII; they and names under them are
 * refused, since Kiunga serves them itself.
 */
export function normaliseCustomDomain(input: string, platformHosts: readonly string[]): DomainNameResult {
  if (input.trim() === '') return refused('empty');
  if (input.length > DOMAIN_INPUT_LENGTH_MAX) return refused('too_long');
  const host = hostPartOf(input);
  if (host === null || host === '') return refused('not_a_host_name');
  const unbracketed = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(unbracketed) !== 0) return refused('ip_address');
  const ascii = toAsciiHostName(host);
  if (ascii === null) return refused('not_a_host_name');
  if (isIP(ascii) !== 0) return refused('ip_address');
  if (ascii.length > CUSTOM_DOMAIN_LENGTH_MAX) return refused('too_long');
  if (ascii.split('.').some((label) => label.length > LABEL_LENGTH_MAX)) return refused('too_long');
  if (!hasValidLabels(ascii)) return refused('not_a_host_name');
  const parsed = parseDomain(ascii, { allowPrivateDomains: true });
  if (parsed.isIcann !== true && parsed.isPrivate !== true) return refused('unknown_suffix');
  if (parsed.domain === null) return refused('public_suffix');
  if (platformHosts.some((platformHost) => isSameOrUnder(ascii, platformHost))) {
    return refused('platform_host');
  }
  return { isValid: true, domain: ascii, registrableDomain: parsed.domain };
}
