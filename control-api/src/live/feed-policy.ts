// Pure decisions of the live sessions feed: which Origin may use a console cookie, when a
// snapshot changed, and whether one more connection fits under the caps.
import { createHash } from 'node:crypto';
import type { SessionOutput } from '@kiunga/schemas';

/**
 * A cookie rides along on any page's WebSocket, so a cookie-authenticated upgrade must come from
 * our own pages (cross-site WebSocket hijacking): the Origin's host is the request's Host, or the
 * Origin is the configured public URL's (behind a proxy that rewrites Host).
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
 * What a viewer of the list would notice, hashed; uptime is left out (it grows every second
 * and the page counts it on by itself), so an idle ISP's feed stays silent.
 */
export function snapshotFingerprint(items: readonly SessionOutput[], total: number): string {
  const hash = createHash('sha1');
  hash.update(String(total));
  for (const { uptimeSeconds: _uptime, ...session } of items) hash.update(JSON.stringify(session));
  return hash.digest('hex');
}

export type Admission = { isAdmitted: true } | { isAdmitted: false; reason: 'tenant_full' | 'server_full' };

export function admitConnection(
  counts: { tenantConnections: number; allConnections: number },
  limits: { perTenantMax: number; overallMax: number },
): Admission {
  if (counts.allConnections >= limits.overallMax) return { isAdmitted: false, reason: 'server_full' };
  if (counts.tenantConnections >= limits.perTenantMax) return { isAdmitted: false, reason: 'tenant_full' };
  return { isAdmitted: true };
}
