// Which ISP a request belongs to by its Host header, given the verified custom domains; and the answer
// to a TLS proxy asking whether it may get a certificate for a name (Caddy's on-demand `ask`).
import { isIP } from 'node:net';
import { toAsciiHostName } from './domain-name';

/** RFC 9110 §7.2 Host is `uri-host [ ":" port ]`; a longer header is not a host name we serve. */
const HOST_HEADER_LENGTH_MAX = 300;

/** Verified custom domain (normalised) → tenant id; built by the integration from its table. */
export type VerifiedDomains = ReadonlyMap<string, string>;

export type HostRoute =
  /** Kiunga's own host, an IP address, or no Host: the platform's routes as today. */
  | { readonly kind: 'platform' }
  /** A verified custom domain: serve that ISP's portal. */
  | { readonly kind: 'tenant'; readonly tenantId: string; readonly domain: string }
  /** A name Kiunga does not serve (not verified, or never claimed). */
  | { readonly kind: 'unknown'; readonly host: string };

/**
 * The host name of a Host header: port stripped (`:8080`, and IPv6 brackets), case folded, trailing dot
 * dropped, IDN as A-labels. Null when there is none or it is not a host name; an IP literal comes back as is.
 */
export function hostNameOf(hostHeader: string | null | undefined): string | null {
  if (!hostHeader || hostHeader.length > HOST_HEADER_LENGTH_MAX) return null;
  const header = hostHeader.trim();
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::\d{1,5})?$/.exec(header);
  if (bracketed?.[1]) return isIP(bracketed[1]) === 6 ? bracketed[1].toLowerCase() : null;
  const match = /^([^:]+)(?::\d{1,5})?$/.exec(header);
  if (!match?.[1]) return null;
  if (isIP(match[1]) === 4) return match[1];
  return toAsciiHostName(match[1]);
}

export function routeHost(
  hostHeader: string | null | undefined,
  verifiedDomains: VerifiedDomains,
  platformHosts: readonly string[],
): HostRoute {
  const host = hostNameOf(hostHeader);
  if (host === null || isIP(host) !== 0 || platformHosts.includes(host)) return { kind: 'platform' };
  const tenantId = verifiedDomains.get(host);
  return tenantId === undefined ? { kind: 'unknown', host } : { kind: 'tenant', tenantId, domain: host };
}

/**
 * The TLS ask endpoint's status for `?domain=`: 200 when it is a verified custom domain, 404 for anything
 * else (Caddy issues a certificate on any 2xx and refuses on any other status: Caddy docs, Global options,
 * `on_demand_tls`, `ask`). Kiunga's own host is not asked about: the proxy has a site block for it.
 */
export function tlsAskStatus(
  domainParameter: string | null | undefined,
  verifiedDomains: VerifiedDomains,
): 200 | 404 {
  const host = hostNameOf(domainParameter);
  return host !== null && verifiedDomains.has(host) ? 200 : 404;
}
