// What the ISP reports read from a tenant's shard and the platform NAS registry: sales grouped in SQL
// by local day, plan and channel, session intervals, per-NAS traffic and the NAS alert history.
import type { SqlDatabase } from '@kiunga/schemas';
import { DAY_MS, NAIROBI_OFFSET_MS } from '../../billing/core/calendar';
import type { TimeRange } from '../../kernel/time-range';
import type { AccessDecisionRecord, SessionInterval } from './core/activity-report';
import { localDayIndexOf, localDayStartMs } from './core/local-days';
import type { NetworkNasFacts } from './core/network-report';
import type { SaleRecord, SalesChannel } from './core/sales-report';

/** Payment providers as the payments table names them → the report's channel. */
const CHANNEL_OF_PROVIDER: Record<string, SalesChannel> = {
  mpesa_stk: 'portal_stk',
  mpesa_c2b: 'c2b_paybill',
  manual: 'manual',
};

/** The local (Nairobi) day index of a stored instant, in SQL: integer division in both dialects. */
const localDaySql = (column: string) => `(${column} + ${NAIROBI_OFFSET_MS}) / ${DAY_MS}`;

interface SalesGroupRow {
  dayIndex: number;
  source: string;
  planId: string | null;
  count: number;
  amountCents: number;
}

/** An hour: sales_hourly_totals' bucket (Nairobi's offset is whole hours, so days are whole hours). */
const HOUR_MS = 3_600_000;

/**
 * Sales in the range, already grouped per local day, plan and channel. Whole local days come from
 * sales_daily_totals, whole hours of a partial day from sales_hourly_totals (both kept by triggers on
 * payments, migration reports_sales_totals), and only the partial hours at the range's edges from
 * payments themselves: a month of a million payments is a few thousand rows (issue 12 "Measure":
 * under 1 s). Matched payments count by provider (a purchase's plan is the plan bought; a voucher's
 * its plan; a subscriber's payment settles a balance, so no plan); vouchers of printed sheets count at
 * their first use, at their price, unless a portal purchase or a payment sold them (those are counted
 * as that payment).
 */
export async function salesRecordsOf(database: SqlDatabase, range: TimeRange): Promise<SaleRecord[]> {
  const firstWholeHour = Math.ceil(range.fromMs / HOUR_MS);
  const endWholeHour = Math.floor(range.toMs / HOUR_MS);
  const groups: SalesGroupRow[] = [];
  if (firstWholeHour >= endWholeHour) groups.push(...(await paymentGroupsOf(database, range)));
  else {
    groups.push(
      ...(await paymentGroupsOf(database, { fromMs: range.fromMs, toMs: firstWholeHour * HOUR_MS })),
    );
    const firstWholeDay = localDayIndexOf(range.fromMs - 1) + 1;
    const endWholeDay = localDayIndexOf(range.toMs);
    if (firstWholeDay < endWholeDay) {
      groups.push(
        ...(await hourlyGroupsOf(database, firstWholeHour, localDayStartMs(firstWholeDay) / HOUR_MS)),
      );
      groups.push(...(await dailyGroupsOf(database, firstWholeDay, endWholeDay)));
      groups.push(...(await hourlyGroupsOf(database, localDayStartMs(endWholeDay) / HOUR_MS, endWholeHour)));
    } else groups.push(...(await hourlyGroupsOf(database, firstWholeHour, endWholeHour)));
    groups.push(...(await paymentGroupsOf(database, { fromMs: endWholeHour * HOUR_MS, toMs: range.toMs })));
  }
  groups.push(...(await voucherSheetGroupsOf(database, range)));
  return saleRecordsOfGroups(groups, range);
}

/** sales_daily_totals of the local days [firstDay, endDay). */
async function dailyGroupsOf(
  database: SqlDatabase,
  firstDay: number,
  endDay: number,
): Promise<SalesGroupRow[]> {
  return database.all<SalesGroupRow>(
    `SELECT day_index AS "dayIndex", provider AS source, NULLIF(plan_key, '') AS "planId",
            payment_count AS count, amount_cents AS "amountCents"
       FROM sales_daily_totals WHERE day_index >= ? AND day_index < ? AND payment_count > 0`,
    [firstDay, endDay],
  );
}

/** sales_hourly_totals of the hours [firstHour, endHour), summed per local day. */
async function hourlyGroupsOf(
  database: SqlDatabase,
  firstHour: number,
  endHour: number,
): Promise<SalesGroupRow[]> {
  if (firstHour >= endHour) return [];
  return database.all<SalesGroupRow>(
    `SELECT ${localDaySql(`hour_index * ${HOUR_MS}`)} AS "dayIndex", provider AS source,
            NULLIF(plan_key, '') AS "planId", SUM(payment_count) AS count, SUM(amount_cents) AS "amountCents"
       FROM sales_hourly_totals WHERE hour_index >= ? AND hour_index < ?
      GROUP BY 1, 2, 3 HAVING SUM(payment_count) > 0`,
    [firstHour, endHour],
  );
}

/**
 * The same sales read from payments alone, without sales_daily_totals: what the totals must always
 * give (the property test and the bench compare the two).
 */
export async function salesRecordsFromPaymentsOf(
  database: SqlDatabase,
  range: TimeRange,
): Promise<SaleRecord[]> {
  const groups = [
    ...(await paymentGroupsOf(database, range)),
    ...(await voucherSheetGroupsOf(database, range)),
  ];
  return saleRecordsOfGroups(groups, range);
}

function saleRecordsOfGroups(groups: readonly SalesGroupRow[], range: TimeRange): SaleRecord[] {
  const records: SaleRecord[] = [];
  for (const group of groups) {
    const channel = group.source === 'voucher_sheet' ? 'voucher_sheet' : CHANNEL_OF_PROVIDER[group.source];
    if (channel === undefined) continue;
    records.push({
      // The group's day, placed inside the range so that the report's own range filter keeps it.
      atMs: Math.max(localDayStartMs(Number(group.dayIndex)), range.fromMs),
      amountCents: Number(group.amountCents),
      planId: group.planId,
      channel,
      count: Number(group.count),
    });
  }
  return records;
}

/**
 * Matched payments in the range grouped per local day, provider and plan, read from payments
 * themselves: the sales report's edges, and what sales_daily_totals must always equal. The plan is a
 * lookup by primary key per payment (as in the triggers), not a join: PostgreSQL otherwise hashes
 * every purchase ever made to report half a day (1.2 s instead of well under 1 s at 1,000,000).
 */
async function paymentGroupsOf(database: SqlDatabase, range: TimeRange): Promise<SalesGroupRow[]> {
  if (range.fromMs >= range.toMs) return [];
  return database.all<SalesGroupRow>(
    `SELECT ${localDaySql('payments.received_at')} AS "dayIndex", payments.provider AS source,
            CASE payments.matched_kind
              WHEN 'purchase' THEN (SELECT plan_id FROM purchases WHERE purchases.id = payments.matched_id)
              WHEN 'voucher' THEN (SELECT plan_id FROM vouchers WHERE vouchers.id = payments.matched_id) END AS "planId",
            COUNT(*) AS count, SUM(payments.amount_cents) AS "amountCents"
       FROM payments
      WHERE payments.status = 'matched' AND payments.received_at >= ? AND payments.received_at < ?
      GROUP BY 1, 2, 3`,
    [range.fromMs, range.toMs],
  );
}

/** Vouchers of printed sheets first used in the range and sold by no purchase or payment. */
async function voucherSheetGroupsOf(database: SqlDatabase, range: TimeRange): Promise<SalesGroupRow[]> {
  return database.all<SalesGroupRow>(
    `SELECT ${localDaySql('vouchers.first_used_at')} AS "dayIndex", 'voucher_sheet' AS source,
            vouchers.plan_id AS "planId", COUNT(*) AS count, SUM(vouchers.price_cents) AS "amountCents"
       FROM vouchers
      WHERE vouchers.first_used_at >= ? AND vouchers.first_used_at < ? AND vouchers.batch_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM purchases WHERE purchases.voucher_id = vouchers.id)
        AND NOT EXISTS (SELECT 1 FROM payments
                         WHERE payments.matched_kind = 'voucher' AND payments.matched_id = vouchers.id)
      GROUP BY 1, 2, 3`,
    [range.fromMs, range.toMs],
  );
}

/** Sessions open at some instant of the range: started before its end, not stopped before its start. */
export async function sessionIntervalsOf(
  database: SqlDatabase,
  range: TimeRange,
): Promise<SessionInterval[]> {
  return database.all<SessionInterval>(
    `SELECT started_at AS "startMs", stopped_at AS "stopMs" FROM sessions
      WHERE started_at < ? AND (stopped_at IS NULL OR stopped_at > ?)`,
    [range.toMs, range.fromMs],
  );
}

/**
 * The Access-Request decision log of the range (issue 12 "Diagnostics", table access_decisions),
 * grouped in SQL per local day, result, reject reason and MAC address: a day's logins and rejects are
 * sums, its unique devices the distinct MACs, so the report stays exact while reading a few rows per
 * device and day. A row counts as `repeat_count` decisions (repeats of one decision coalesced into one
 * row by the decision log), all on the day of its first.
 */
export async function accessDecisionsOf(
  database: SqlDatabase,
  range: TimeRange,
): Promise<AccessDecisionRecord[]> {
  if (range.fromMs >= range.toMs) return [];
  const groups = await database.all<{
    dayIndex: number;
    result: string;
    reasonCode: string | null;
    mac: string;
    count: number;
  }>(
    `SELECT ${localDaySql('decided_at')} AS "dayIndex", result, reason_code AS "reasonCode",
            mac_address AS mac, SUM(repeat_count) AS count
       FROM access_decisions WHERE decided_at >= ? AND decided_at < ?
      GROUP BY 1, 2, 3, 4`,
    [range.fromMs, range.toMs],
  );
  return groups.map((group) => ({
    // The group's day, placed inside the range so that the report's own range filter keeps it.
    atMs: Math.max(localDayStartMs(Number(group.dayIndex)), range.fromMs),
    result: group.result === 'accept' ? 'accept' : 'reject',
    reasonCode: group.reasonCode,
    mac: group.mac === '' ? null : group.mac,
    count: Number(group.count),
  }));
}

type NasTraffic = Omit<NetworkNasFacts, 'name' | 'quietIntervals'>;

/**
 * Traffic and session seconds per NAS of the sessions that started in the range. The README's
 * source is the NAS usage rollups (m12a's usage_rollups, not on this branch); those split a long
 * session's traffic across days exactly, where this attributes a session to the day it started.
 */
export async function nasTrafficOf(
  database: SqlDatabase,
  range: TimeRange,
): Promise<Map<string, NasTraffic>> {
  const rows = await database.all<NasTraffic>(
    `SELECT nas_id AS "nasId", SUM(input_octets) AS "inputOctets", SUM(output_octets) AS "outputOctets",
            SUM(session_time_seconds) AS "sessionSeconds", COUNT(*) AS "sessionsStarted"
       FROM sessions WHERE started_at >= ? AND started_at < ? GROUP BY nas_id`,
    [range.fromMs, range.toMs],
  );
  return new Map(
    rows.map((row) => [
      row.nasId,
      {
        nasId: row.nasId,
        inputOctets: Number(row.inputOctets),
        outputOctets: Number(row.outputOctets),
        sessionSeconds: Number(row.sessionSeconds),
        sessionsStarted: Number(row.sessionsStarted),
      },
    ]),
  );
}

/** The ISP's NAS, each with its quiet periods overlapping the range (from the alert history). */
export async function nasQuietPeriodsOf(
  platform: SqlDatabase,
  tenantId: string,
  range: TimeRange,
): Promise<Array<Pick<NetworkNasFacts, 'nasId' | 'name' | 'quietIntervals'>>> {
  const nasList = await platform.all<{ nasId: string; name: string }>(
    'SELECT id AS "nasId", name FROM nas_devices WHERE tenant_id = ? ORDER BY name, id',
    [tenantId],
  );
  const periods = await platform.all<{ nasId: string; fromMs: number; toMs: number | null }>(
    `SELECT nas_id AS "nasId", raised_at AS "fromMs", cleared_at AS "toMs" FROM nas_alert_history
      WHERE tenant_id = ? AND raised_at < ? AND (cleared_at IS NULL OR cleared_at > ?)`,
    [tenantId, range.toMs, range.fromMs],
  );
  return nasList.map((nas) => ({
    ...nas,
    quietIntervals: periods
      .filter((period) => period.nasId === nas.nasId)
      .map(({ fromMs, toMs }) => ({ fromMs, toMs })),
  }));
}

/** Plan names for the reports' CSV and PDF. */
export async function planNamesOf(database: SqlDatabase): Promise<Map<string, string>> {
  const rows = await database.all<{ id: string; name: string }>('SELECT id, name FROM plans');
  return new Map(rows.map((row) => [row.id, row.name]));
}
