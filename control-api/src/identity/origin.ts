// Which site a browser request came from (its Origin, else its Referer) and whether that is this
// site: the rule behind the cross-site refusal of unsafe requests and the live feed's WebSocket.

/**
 * A cookie rides along on requests any page makes, so requests that act with it must come from our
 * own pages: the origin's host is the request's Host, or the origin is the configured public URL's
 * (behind a proxy that rewrites Host). Only http(s) origins count; 'null' (sandboxed frames,
 * data: URLs, a no-referrer page's POST) never does.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  publicUrl: string,
): boolean {
  if (!origin) return false;
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return false;
  }
  if (originUrl.protocol !== 'http:' && originUrl.protocol !== 'https:') return false;
  if (host !== undefined && originUrl.host === host.toLowerCase()) return true;
  try {
    return originUrl.origin === new URL(publicUrl).origin;
  } catch {
    return false;
  }
}

/**
 * The origin a browser claims for a request: the Origin header, else the origin of the Referer
 * (older browsers send only that on same-origin form posts), else undefined: no browser sent it.
 * Browsers send Origin on every request whose method is not GET or HEAD (Fetch standard,
 * "append a request `Origin` header"), so an unsafe cross-site request never arrives without one.
 */
export function claimedOriginOf(
  originHeader: string | undefined,
  refererHeader: string | undefined,
): string | undefined {
  if (originHeader !== undefined) return originHeader;
  if (!refererHeader) return undefined;
  try {
    return new URL(refererHeader).origin;
  } catch {
    return 'null';
  }
}
