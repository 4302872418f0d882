// Pure decisions of the live sessions feed: which Origin may use a console cookie, and when a
// snapshot changed (whether one more connection fits under the caps: kernel/ws-upgrade.ts).
import { createHash } from 'node:crypto';
import type { SessionOutput } from '@kiunga/schemas';

/** Which Origin may use a console cookie: the same rule as every unsafe request (identity/origin.ts). */
export { isAllowedOrigin } from '../../../identity/origin';

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
