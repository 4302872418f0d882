// The address a request came from, for limits and the audit log: the socket's peer, and the
// X-Forwarded-For entry a proxy added only when that peer is a proxy the operator trusts
// (KIUNGA_TRUSTED_PROXIES). Anyone can write X-Forwarded-For; only a trusted proxy's word counts.
import { isIP } from 'node:net';

/** How many X-Forwarded-For entries are looked at, from the right: a chain of proxies is short. */
export const FORWARDED_HOPS_MAX = 10;

const IPV4_MAPPED_PREFIX = '::ffff:';

/** `::ffff:203.0.113.9` (an IPv4 peer on a dual-stack socket) is 203.0.113.9. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  if (trimmed.startsWith(IPV4_MAPPED_PREFIX) && isIP(trimmed.slice(IPV4_MAPPED_PREFIX.length)) === 4)
    return trimmed.slice(IPV4_MAPPED_PREFIX.length);
  return trimmed;
}

/**
 * The client's address. Each trusted proxy appends the address it received the request from, so
 * the list is read from the right, skipping trusted proxies: the first other entry is the client
 * as the nearest trusted proxy saw it. Entries left of it are whatever the client claimed.
 */
export function clientAddressOf(
  peerAddress: string | null,
  forwardedFor: string | undefined,
  trustedProxies: ReadonlySet<string>,
): string | null {
  if (peerAddress === null) return null;
  const peer = normalizeAddress(peerAddress);
  if (!trustedProxies.has(peer) || !forwardedFor) return peer;
  const hops = forwardedFor.split(',').slice(-FORWARDED_HOPS_MAX).map(normalizeAddress).reverse();
  let nearest = peer;
  for (const hop of hops) {
    if (isIP(hop) === 0) return nearest;
    if (!trustedProxies.has(hop)) return hop;
    nearest = hop;
  }
  return nearest;
}
