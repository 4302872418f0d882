// Cursor pagination over open sessions: ordered by sessionId so a cursor survives sessions closing.
import { SESSIONS_PAGE_MAX } from './limits';
import type { LiveSession, SessionPage } from './session-table';

/**
 * Keeps the `limit` smallest sessionIds after the cursor in one pass, without sorting the whole
 * tenant: with random ids a new candidate rarely beats the kept ones, so the pass is nearly linear.
 */
export function selectSessionPage(
  sessions: Iterable<LiveSession>,
  limit: number,
  afterSessionId: string | undefined,
): SessionPage {
  const pageLength = Math.min(Math.max(Math.floor(limit), 1), SESSIONS_PAGE_MAX);
  // One more than the page, only to learn whether another page follows.
  const keptLengthMax = pageLength + 1;
  const kept: LiveSession[] = [];
  for (const session of sessions) {
    if (afterSessionId !== undefined && session.sessionId <= afterSessionId) continue;
    if (kept.length === keptLengthMax) {
      if (session.sessionId >= kept[keptLengthMax - 1]!.sessionId) continue;
      kept.pop();
    }
    kept.splice(insertionIndex(kept, session.sessionId), 0, session);
  }
  return { sessions: kept.slice(0, pageLength), hasMore: kept.length > pageLength };
}

function insertionIndex(sorted: readonly LiveSession[], sessionId: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]!.sessionId < sessionId) low = middle + 1;
    else high = middle;
  }
  return low;
}
