// When a session counts as dead: its NAS stopped sending interim updates, so it must not pin a device slot.
import type { LiveSession } from './session-table';

const MILLISECONDS_PER_SECOND = 1_000;

/**
 * Two missed interim updates plus a grace period: one lost UDP packet is normal, two in a row with
 * time to spare means the NAS or its link is gone. Stale only strictly after that deadline.
 */
export function isSessionStale(
  session: Pick<LiveSession, 'lastUpdateMs' | 'interimIntervalSeconds'>,
  nowMs: number,
  graceMs: number,
): boolean {
  const silenceAllowedMs = 2 * session.interimIntervalSeconds * MILLISECONDS_PER_SECOND + graceMs;
  return nowMs - session.lastUpdateMs > silenceAllowedMs;
}
