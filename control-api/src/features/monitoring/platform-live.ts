// The platform live view (all ISPs): online clients, Access-Requests/s, Accounting/s, rejects by
// reason (rates between two readings of the AAA server's Prometheus counters), NAS up/down and
// payments per minute.
import type { SqlDatabase } from '@kiunga/schemas';
import type { ApiDependencies } from '../../kernel/dependencies';
import { nasUpDownCounts } from './store';

/** "Payments per minute": those received in the last minute. */
const PAYMENTS_WINDOW_MS = 60_000;

/** What is read from one Prometheus text: summed over tenants. */
export interface RadiusCounters {
  readonly atMs: number;
  readonly accessRequests: number;
  readonly accountingRequests: number;
  readonly rejectsByReason: Readonly<Record<string, number>>;
  readonly openSessions: number;
}

const SAMPLE_LINE = /^([a-z_]+)(?:\{([^}]*)\})?\s+([0-9.eE+-]+)$/;
const LABEL = /([a-z_]+)="((?:[^"\\]|\\.)*)"/g;

/** Sums the counters the live view needs from Prometheus text exposition format 0.0.4 lines. */
export function readRadiusCounters(text: string, atMs: number): RadiusCounters {
  let accessRequests = 0;
  let accountingRequests = 0;
  let openSessions = 0;
  const rejectsByReason: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = SAMPLE_LINE.exec(line.trim());
    if (!match) continue;
    const [, name, labelText = '', valueText = '0'] = match;
    const value = Number(valueText);
    if (!Number.isFinite(value)) continue;
    const labels = Object.fromEntries([...labelText.matchAll(LABEL)].map((label) => [label[1], label[2]]));
    if (name === 'kiunga_radius_requests_total' && labels.kind === 'access_request') accessRequests += value;
    else if (name === 'kiunga_radius_requests_total' && labels.kind === 'accounting_request')
      accountingRequests += value;
    else if (name === 'kiunga_radius_rejects_total') {
      const reason = labels.reason ?? 'unknown';
      rejectsByReason[reason] = (rejectsByReason[reason] ?? 0) + value;
    } else if (name === 'kiunga_radius_open_sessions') openSessions += value;
  }
  return { atMs, accessRequests, accountingRequests, rejectsByReason, openSessions };
}

export interface RadiusRates {
  readonly accessRequestsPerSecond: number;
  readonly accountingPerSecond: number;
  /** Rejects per minute by reason code over the interval. */
  readonly rejectsPerMinuteByReason: Readonly<Record<string, number>>;
}

const MS_PER_SECOND = 1_000;
const MS_PER_MINUTE = 60_000;
const RATE_DECIMALS = 100;

/** Rates between two readings; zero when there is no earlier one or a counter restarted (went back). */
export function radiusRates(previous: RadiusCounters | null, current: RadiusCounters): RadiusRates {
  const intervalMs = previous ? current.atMs - previous.atMs : 0;
  const rateOf = (now: number, then: number, unitMs: number) =>
    intervalMs <= 0 || now < then
      ? 0
      : Math.round(((now - then) * unitMs * RATE_DECIMALS) / intervalMs) / RATE_DECIMALS;
  const rejects: Record<string, number> = {};
  for (const [reason, count] of Object.entries(current.rejectsByReason)) {
    const rate = rateOf(count, previous?.rejectsByReason[reason] ?? 0, MS_PER_MINUTE);
    if (rate > 0) rejects[reason] = rate;
  }
  return {
    accessRequestsPerSecond: rateOf(current.accessRequests, previous?.accessRequests ?? 0, MS_PER_SECOND),
    accountingPerSecond: rateOf(current.accountingRequests, previous?.accountingRequests ?? 0, MS_PER_SECOND),
    rejectsPerMinuteByReason: rejects,
  };
}

/** Payments received by every active ISP in [fromMs, toMs): one COUNT per ISP shard. */
export async function countPaymentsSince(
  platform: SqlDatabase,
  forTenant: (tenantId: string) => SqlDatabase,
  fromMs: number,
  toMs: number,
): Promise<number> {
  const tenantIds = await platform.column<string>(
    `SELECT id FROM tenants WHERE status <> 'archived' ORDER BY id`,
  );
  let total = 0;
  for (const tenantId of tenantIds) {
    const row = await forTenant(tenantId).get<{ total: number }>(
      'SELECT COUNT(*) AS total FROM payments WHERE received_at >= ? AND received_at < ?',
      [fromMs, toMs],
    );
    total += Number(row?.total ?? 0);
  }
  return total;
}

/** The live view as GET /api/v1/platform/live and its WebSocket send it. */
export interface PlatformLiveView extends RadiusRates {
  readonly at: number;
  readonly onlineClients: number;
  readonly nas: { readonly total: number; readonly up: number; readonly down: number };
  readonly paymentsPerMinute: number;
}

/**
 * Reads the view now, with rates since `previous` (the caller's last reading: each reader keeps its
 * own, so the HTTP route and the feed do not shorten each other's intervals). Answers the view and
 * this reading, to pass back next time.
 */
export async function readPlatformLive(
  dependencies: Pick<ApiDependencies, 'aaa' | 'clock' | 'databases'>,
  previous: RadiusCounters | null,
): Promise<{ view: PlatformLiveView; counters: RadiusCounters }> {
  const nowMs = dependencies.clock.now();
  const counters = readRadiusCounters(await dependencies.aaa.metricsText(), nowMs);
  const nas = await nasUpDownCounts(dependencies.databases.platform);
  const payments = await countPaymentsSince(
    dependencies.databases.platform,
    (tenantId) => dependencies.databases.forTenant(tenantId),
    nowMs - PAYMENTS_WINDOW_MS,
    nowMs,
  );
  const view: PlatformLiveView = {
    at: nowMs,
    onlineClients: counters.openSessions,
    ...radiusRates(previous, counters),
    nas: { total: nas.total, up: nas.total - nas.down, down: nas.down },
    paymentsPerMinute: payments,
  };
  return { view, counters };
}
