// The daily, leased clean-up of support_events: the live feeds only read the changes of the last
// second or so, so a day's worth is kept (room for a node that was down) and older rows are deleted.
import type { ApiDependencies } from '../../kernel/dependencies';
import { deleteEventsBefore } from './store';

/** Daily at 03:41 (UTC): off the hour, away from billing's night run and the domain re-check. */
export const SUPPORT_EVENTS_RETENTION_CRON = '41 3 * * *';
/** A feed reads changes within seconds; a day is far more than any feed can lag behind. */
export const SUPPORT_EVENTS_KEPT_MS = 24 * 60 * 60 * 1000;

export async function pruneSupportEvents(
  dependencies: Pick<ApiDependencies, 'databases' | 'clock'>,
): Promise<{ deleted: number }> {
  const beforeMs = dependencies.clock.now() - SUPPORT_EVENTS_KEPT_MS;
  return { deleted: await deleteEventsBefore(dependencies.databases.platform, beforeMs) };
}
