// The SSRF guard of webhook destinations: which URLs an ISP may register and which addresses a delivery
// may connect to. Only public unicast addresses pass, unless the operator set
// KIUNGA_WEBHOOKS_ALLOW_PRIVATE=true (the demo and tests), which also allows plain http. Address
// classes come from ipaddr.js (IANA special-purpose registries, RFC 6890): anything not "unicast" —
// loopback, private (RFC 1918), link-local (incl. 169.254.169.254, cloud metadata), CGNAT (RFC 6598),
// multicast, broadcast, unspecified, reserved/documentation, IPv6 ULA (fc00::/7), link-local (fe80::/10),
// NAT64 (64:ff9b::/96), 6to4, Teredo — is refused, and an IPv4-mapped IPv6 address is judged as the IPv4
// address it carries.
import ipaddr from 'ipaddr.js';

/** Browsers and proxies handle URLs this long; a longer webhook URL is a mistake or an attack. */
export const WEBHOOK_URL_CHARS_MAX = 2048;

export interface DestinationPolicy {
  /** KIUNGA_WEBHOOKS_ALLOW_PRIVATE=true: loopback and private addresses, and plain http, allowed. */
  readonly isPrivateAllowed: boolean;
}

export type UrlCheck =
  | {
      readonly isAllowed: true;
      readonly url: URL;
      /** The host without IPv6 brackets. */
      readonly hostname: string;
      /** Set when the host is an IP literal (no DNS resolution needed). */
      readonly address: string | null;
    }
  | { readonly isAllowed: false; readonly reason: string };

/** Checks what can be checked without DNS: scheme, credentials, length, and an IP literal host. */
export function checkWebhookUrl(text: string, policy: DestinationPolicy): UrlCheck {
  if (text.length > WEBHOOK_URL_CHARS_MAX) {
    return { isAllowed: false, reason: `a webhook URL is at most ${WEBHOOK_URL_CHARS_MAX} characters` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { isAllowed: false, reason: 'not a URL' };
  }
  const isHttps = url.protocol === 'https:';
  if (!isHttps && !(policy.isPrivateAllowed && url.protocol === 'http:')) {
    return { isAllowed: false, reason: 'webhook URLs must use https' };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      isAllowed: false,
      reason: 'a webhook URL may not carry a username or password; check the signature instead',
    };
  }
  if (url.hash !== '') return { isAllowed: false, reason: 'a webhook URL has no #fragment' };
  // WHATWG URL parsing already turned 2130706433, 0x7f.1 and 017700000001 into 127.0.0.1.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(hostname)) return { isAllowed: true, url, hostname, address: null };
  const refusal = addressRefusal(hostname, policy);
  return refusal === null
    ? { isAllowed: true, url, hostname, address: hostname }
    : { isAllowed: false, reason: refusal };
}

/** Why a delivery may not connect to `address`; null when it may. */
export function addressRefusal(address: string, policy: DestinationPolicy): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  if (policy.isPrivateAllowed) return null;
  const range = addressRange(address);
  return range === 'unicast' ? null : `${address} is a ${describeRange(range)} address`;
}

/** ipaddr.js's range name, an IPv4-mapped IPv6 address judged as its IPv4 address. */
export function addressRange(address: string): string {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const ipv6 = parsed as ipaddr.IPv6;
    if (ipv6.isIPv4MappedAddress()) return ipv6.toIPv4Address().range();
  }
  return parsed.range();
}

function describeRange(range: string): string {
  const names: Record<string, string> = {
    loopback: 'loopback',
    private: 'private (RFC 1918)',
    linkLocal: 'link-local',
    carrierGradeNat: 'carrier-grade NAT (RFC 6598)',
    multicast: 'multicast',
    broadcast: 'broadcast',
    unspecified: 'unspecified',
    uniqueLocal: 'IPv6 unique local',
    rfc6052: 'NAT64',
  };
  return names[range] ?? `non-public (${range})`;
}
