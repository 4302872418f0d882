// Sales report: what an ISP sold per local day, plan and channel, with counts and amounts in cents.
import { type Cents, cents } from '@kiunga/schemas';
import type { TimeRange } from '../../../kernel/time-range';
import { isWithin, localDayIndexOf, localDayText } from './local-days';

/**
 * Where a sale came from: captive-portal STK Push, C2B paybill/till, a voucher from a printed sheet
 * (counted when first used, at its price), a payment the ISP recorded by hand, a reseller (issue 11).
 */
export const SALES_CHANNELS = ['portal_stk', 'c2b_paybill', 'voucher_sheet', 'manual', 'reseller'] as const;
export type SalesChannel = (typeof SALES_CHANNELS)[number];

export interface SaleRecord {
  readonly atMs: number;
  /** Integer cents; a reversal is a negative sale. */
  readonly amountCents: number;
  /** Null for a payment not tied to one plan (a subscriber paying a balance). */
  readonly planId: string | null;
  readonly channel: SalesChannel;
  /** How many sales this record stands for (a store's GROUP BY of one day, plan and channel); 1 when absent. */
  readonly count?: number;
}

export interface SalesTotals {
  readonly count: number;
  readonly amountCents: Cents;
}

export interface SalesRow extends SalesTotals {
  readonly day: string;
  readonly planId: string | null;
  readonly channel: SalesChannel;
}

export interface SalesReport {
  /** One row per (day, plan, channel) with sales, ordered by day, plan, channel. */
  readonly rows: SalesRow[];
  readonly totals: SalesTotals;
  readonly byDay: Array<SalesTotals & { readonly day: string }>;
  readonly byPlan: Array<SalesTotals & { readonly planId: string | null }>;
  readonly byChannel: Array<SalesTotals & { readonly channel: SalesChannel }>;
}

interface Sum {
  count: number;
  amountCents: number;
}

/** Groups sales in [from, to) by day, plan and channel. One pass; nested maps, no per-record strings. */
export function buildSalesReport(sales: Iterable<SaleRecord>, range: TimeRange): SalesReport {
  const byDay = new Map<number, Map<string | null, Map<SalesChannel, Sum>>>();
  for (const sale of sales) {
    if (!isWithin(range, sale.atMs)) continue;
    if (!Number.isSafeInteger(sale.amountCents))
      throw new RangeError(`sale amount ${sale.amountCents} is not integer cents`);
    const dayIndex = localDayIndexOf(sale.atMs);
    const plans = entryOf(byDay, dayIndex, () => new Map<string | null, Map<SalesChannel, Sum>>());
    const channels = entryOf(plans, sale.planId, () => new Map<SalesChannel, Sum>());
    const count = sale.count ?? 1;
    const sum = channels.get(sale.channel);
    if (sum === undefined) channels.set(sale.channel, { count, amountCents: sale.amountCents });
    else {
      sum.count += count;
      sum.amountCents += sale.amountCents;
    }
  }
  const rows: SalesRow[] = [];
  for (const dayIndex of [...byDay.keys()].sort((left, right) => left - right)) {
    const day = localDayText(dayIndex);
    const plans = byDay.get(dayIndex)!;
    for (const planId of [...plans.keys()].sort(comparePlanIds)) {
      const channels = plans.get(planId)!;
      for (const channel of SALES_CHANNELS) {
        const sum = channels.get(channel);
        if (sum !== undefined)
          rows.push({ day, planId, channel, count: sum.count, amountCents: cents(sum.amountCents) });
      }
    }
  }
  return {
    rows,
    totals: totalOf(rows),
    byDay: groupRows(rows, (row) => row.day).map(([day, totals]) => ({ day, ...totals })),
    byPlan: groupRows(rows, (row) => row.planId).map(([planId, totals]) => ({ planId, ...totals })),
    byChannel: groupRows(rows, (row) => row.channel).map(([channel, totals]) => ({ channel, ...totals })),
  };
}

/** The map's value for `key`, created first if absent. */
function entryOf<Key, Value>(map: Map<Key, Value>, key: Key, create: () => Value): Value {
  const existing = map.get(key);
  if (existing !== undefined) return existing;
  const created = create();
  map.set(key, created);
  return created;
}

function comparePlanIds(left: string | null, right: string | null): number {
  if (left === right) return 0;
  if (left === null) return 1;
  if (right === null) return -1;
  return left < right ? -1 : 1;
}

function totalOf(rows: readonly SalesTotals[]): SalesTotals {
  let count = 0;
  let amountCents = 0;
  for (const row of rows) {
    count += row.count;
    amountCents += row.amountCents;
  }
  return { count, amountCents: cents(amountCents) };
}

/** Totals per key, keys in first-seen order (rows are already sorted). */
function groupRows<Key>(rows: readonly SalesRow[], keyOf: (row: SalesRow) => Key): Array<[Key, SalesTotals]> {
  const groups = new Map<Key, SalesRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  return [...groups].map(([key, group]) => [key, totalOf(group)]);
}
