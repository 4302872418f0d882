// Per-hour and per-day usage rollups per subscriber/voucher, plan and NAS, applied batch by batch.
//
// A batch of accounting records and the meter states of their sessions go in; additive increments
// and the new meter states come out. The store adds each increment to its row with one upsert
// (`… ON CONFLICT … DO UPDATE SET input_octets = input_octets + excluded.input_octets, …`) and
// writes the states in the same transaction, so a batch is applied exactly once or not at all.
//
// Usage between two records is spread over the hours it accrued in, in proportion to time, with the
// cumulative-floor rule (as billing/proration.ts prorates money): the part up to instant t of an
// amount A accrued over [from, to] is floor(A × (t − from) / (to − from)), so the hours' parts are
// whole numbers that add up to exactly A. Days are local days in Nairobi (UTC+3, whole hours, so
// every hour lies in one day).
import { DAY_MS, floorModulo, NAIROBI_OFFSET_MS } from '../../../billing/core/calendar';
import { type MeteredAccountingRecord, sessionKeyOf } from './accounting-record';
import { type MeteredUsage, type MeterOutcome, meterRecord, type SessionMeterState } from './session-meter';

export const HOUR_MS = 60 * 60 * 1000;
/**
 * Usage is spread over at most the last week before its record: a session first seen after weeks
 * online (Kiunga just installed, or its Start lost) must not make thousands of hourly rows.
 */
export const ATTRIBUTION_SPAN_MAX_MS = 7 * DAY_MS;

export type UsageGranularity = 'hour' | 'day';
export type UsageDimension = 'subscriber' | 'voucher' | 'plan' | 'nas';

export interface UsageAmounts {
  readonly inputOctets: number;
  readonly outputOctets: number;
  readonly sessionSeconds: number;
}

export interface UsageRollupIncrement extends UsageAmounts {
  readonly granularity: UsageGranularity;
  readonly dimension: UsageDimension;
  readonly dimensionId: string;
  /** Start of the hour, or local midnight of the day. */
  readonly bucketStartMs: number;
}

export interface HourlyUsage extends UsageAmounts {
  readonly hourStartMs: number;
}

/** `numerator × part / whole`, floored, exact for safe integers (BigInt only when the product is not). */
function floorShare(amount: number, part: number, whole: number): number {
  const product = amount * part;
  if (Number.isSafeInteger(product)) return (product - (product % whole)) / whole;
  return Number((BigInt(amount) * BigInt(part)) / BigInt(whole));
}

function floorToHour(timeMs: number): number {
  return timeMs - floorModulo(timeMs, HOUR_MS);
}

/** Splits usage accrued over [fromMs, toMs] into the hours it touched; the parts sum to the whole exactly. */
export function spreadOverHours(usage: MeteredUsage): HourlyUsage[] {
  const toMs = usage.toMs;
  const fromMs = Math.max(usage.fromMs, toMs - ATTRIBUTION_SPAN_MAX_MS);
  if (toMs <= fromMs) return [{ hourStartMs: floorToHour(toMs), ...amountsOf(usage) }];
  const spanMs = toMs - fromMs;
  const shareAt = (amount: number, atMs: number) => floorShare(amount, atMs - fromMs, spanMs);
  const pieces: HourlyUsage[] = [];
  // The usage accrued in (from, to]: the last hour is the one holding the instant just before `to`.
  for (let hourStartMs = floorToHour(fromMs); hourStartMs < toMs; hourStartMs += HOUR_MS) {
    const startMs = Math.max(fromMs, hourStartMs);
    const endMs = Math.min(toMs, hourStartMs + HOUR_MS);
    const part = (amount: number) => shareAt(amount, endMs) - shareAt(amount, startMs);
    pieces.push({
      hourStartMs,
      inputOctets: part(usage.inputOctets),
      outputOctets: part(usage.outputOctets),
      sessionSeconds: part(usage.sessionSeconds),
    });
  }
  return pieces;
}

function amountsOf(usage: UsageAmounts): UsageAmounts {
  return {
    inputOctets: usage.inputOctets,
    outputOctets: usage.outputOctets,
    sessionSeconds: usage.sessionSeconds,
  };
}

export type MeteringCounts = Record<MeterOutcome, number>;

export interface MeteringBatchResult {
  /** One per (granularity, dimension, id, bucket) touched; amounts to add. */
  readonly increments: UsageRollupIncrement[];
  /** The new state of every session the batch touched, by `sessionKeyOf`. */
  readonly sessionStates: Map<string, SessionMeterState>;
  readonly counts: MeteringCounts;
}

/**
 * Meters a batch. `sessionStates` holds the stored state of the batch's sessions (absent: none yet).
 * Records are taken in event-time order within the batch; across batches, order does not matter
 * to the totals (see session-meter.ts).
 */
export function meterAccountingBatch(
  records: readonly MeteredAccountingRecord[],
  sessionStates: ReadonlyMap<string, SessionMeterState>,
): MeteringBatchResult {
  const states = new Map<string, SessionMeterState>();
  const counts: MeteringCounts = { counted: 0, duplicate: 0, late: 0, stale: 0, invalid: 0 };
  const rollups = new RollupAccumulator();
  const ordered = [...records].sort(
    (left, right) => left.eventTimeMs - right.eventTimeMs || left.sessionSeconds - right.sessionSeconds,
  );
  for (const record of ordered) {
    const key = sessionKeyOf(record);
    const result = meterRecord(states.get(key) ?? sessionStates.get(key) ?? null, record);
    counts[result.outcome] += 1;
    if (result.state !== null) states.set(key, result.state);
    if (result.usage === null) continue;
    for (const piece of spreadOverHours(result.usage)) rollups.add(record, piece);
  }
  return { increments: rollups.increments(), sessionStates: states, counts };
}

/** Mutable sums while a batch is metered; frozen into increments at the end. */
interface RollupSum {
  granularity: UsageGranularity;
  dimension: UsageDimension;
  dimensionId: string;
  bucketStartMs: number;
  inputOctets: number;
  outputOctets: number;
  sessionSeconds: number;
}

class RollupAccumulator {
  private readonly byKey = new Map<string, RollupSum>();

  add(record: MeteredAccountingRecord, piece: HourlyUsage): void {
    // Local midnight by arithmetic (Nairobi is UTC+3 all year): no Date per piece.
    const dayStartMs = piece.hourStartMs - floorModulo(piece.hourStartMs + NAIROBI_OFFSET_MS, DAY_MS);
    this.addBoth('nas', record.nasId, piece, dayStartMs);
    if (record.subject !== null) this.addBoth(record.subject.kind, record.subject.id, piece, dayStartMs);
    if (record.planId !== null) this.addBoth('plan', record.planId, piece, dayStartMs);
  }

  private addBoth(
    dimension: UsageDimension,
    dimensionId: string,
    piece: HourlyUsage,
    dayStartMs: number,
  ): void {
    this.addTo('hour', dimension, dimensionId, piece.hourStartMs, piece);
    this.addTo('day', dimension, dimensionId, dayStartMs, piece);
  }

  private addTo(
    granularity: UsageGranularity,
    dimension: UsageDimension,
    dimensionId: string,
    bucketStartMs: number,
    amounts: UsageAmounts,
  ): void {
    const key = `${granularity}|${dimension}|${bucketStartMs}|${dimensionId}`;
    const sum = this.byKey.get(key);
    if (sum === undefined) {
      this.byKey.set(key, { granularity, dimension, dimensionId, bucketStartMs, ...amountsOf(amounts) });
      return;
    }
    sum.inputOctets += amounts.inputOctets;
    sum.outputOctets += amounts.outputOctets;
    sum.sessionSeconds += amounts.sessionSeconds;
  }

  increments(): UsageRollupIncrement[] {
    return [...this.byKey.values()].filter(
      (item) => item.inputOctets !== 0 || item.outputOctets !== 0 || item.sessionSeconds !== 0,
    );
  }
}
