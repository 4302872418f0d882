// Invoices for one subscriber and cycle: lines, total, due date, number and idempotent identity.
import { type Cents, cents } from '@kiunga/schemas';
import { DAY_MS, localDateOf, startOfLocalDayMs } from './calendar';
import { type Cycle, type CycleAnchor, cycleContaining, nextCycle } from './cycles';
import { type BillingPlan, type InvoiceLine, sumLines } from './lines';
import { prorateStart } from './proration';
import { isWholeUnits } from './units';

/** After downtime the run bills missed cycles, but never more than a year of them in one go. */
export const CATCH_UP_CYCLES_MAX = 12;
/** Due dates further out than this are a configuration mistake, not a policy. */
export const DUE_DAYS_MAX = 90;

export interface BillingSubscriber {
  readonly id: string;
  readonly tenantId: string;
  /** The C2B bill reference payments are matched by. */
  readonly accountNumber: string;
  /** When the service started: the first cycle is prorated from this day. */
  readonly serviceStartMs: number;
}

/** Per-ISP number format: `INV-2026-000123` is { prefix: 'INV', includeYear: true, sequenceDigits: 6 }. */
export interface InvoiceNumberFormat {
  readonly prefix: string;
  readonly includeYear: boolean;
  readonly sequenceDigits: number;
}

export const defaultInvoiceNumberFormat: InvoiceNumberFormat = {
  prefix: 'INV',
  includeYear: true,
  sequenceDigits: 6,
};

/** The sequence comes from the caller (the store's per-ISP counter), the format from ISP settings. */
export interface InvoiceNumbering {
  readonly format: InvoiceNumberFormat;
  readonly sequence: number;
}

export interface InvoiceTerms {
  /** Days after the cycle start (or after a mid-cycle service start) the invoice falls due. */
  readonly dueDays: number;
}

export interface Invoice {
  /** Derived from (subscriber, cycle): generating twice gives the same id. */
  readonly id: string;
  readonly idempotencyKey: string;
  readonly number: string;
  readonly tenantId: string;
  readonly subscriberId: string;
  readonly accountNumber: string;
  readonly cycleKey: string;
  readonly periodStartMs: number;
  readonly periodEndMs: number;
  readonly dueAtMs: number;
  readonly lines: readonly InvoiceLine[];
  /** Sum of the lines; may be negative when credits exceed charges (the excess becomes balance). */
  readonly totalCents: Cents;
}

export function invoiceIdempotencyKey(tenantId: string, subscriberId: string, cycle: Cycle): string {
  return `${tenantId}:${subscriberId}:${cycle.key}`;
}

export function invoiceIdFor(subscriberId: string, cycle: Cycle): string {
  return `inv_${subscriberId}_${cycle.key.replaceAll('-', '')}`;
}

export function formatInvoiceNumber(format: InvoiceNumberFormat, cycle: Cycle, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1)
    throw new RangeError(`bad invoice sequence ${sequence}`);
  const digits = String(sequence).padStart(format.sequenceDigits, '0');
  if (!format.includeYear) return `${format.prefix}-${digits}`;
  return `${format.prefix}-${localDateOf(cycle.startMs).year}-${digits}`;
}

/**
 * Bills the cycle in advance: the plan's full price, or the prorated remainder when service
 * started inside the cycle, plus pending lines (plan-change proration, adjustments).
 */
export function generateInvoice(
  subscriber: BillingSubscriber,
  plan: BillingPlan,
  cycle: Cycle,
  pendingLines: readonly InvoiceLine[],
  numbering: InvoiceNumbering,
  terms: InvoiceTerms,
): Invoice {
  if (subscriber.serviceStartMs >= cycle.endMs) {
    throw new RangeError(`subscriber ${subscriber.id} starts after cycle ${cycle.key}`);
  }
  if (!Number.isInteger(terms.dueDays) || terms.dueDays < 0 || terms.dueDays > DUE_DAYS_MAX) {
    throw new RangeError(`due days must be 0..${DUE_DAYS_MAX}`);
  }
  if (!isWholeUnits(plan.cyclePriceCents, plan.unitCents)) {
    throw new RangeError(`plan ${plan.id} price is not in whole ${plan.unitCents}-cent units`);
  }
  const startsInside = subscriber.serviceStartMs > cycle.startMs;
  const planLine = startsInside
    ? prorateStart(plan, cycle, subscriber.serviceStartMs)
    : recurringLine(plan, cycle);
  const lines = [planLine, ...pendingLines];
  const billedFromMs = startsInside ? startOfLocalDayMs(subscriber.serviceStartMs) : cycle.startMs;
  return {
    id: invoiceIdFor(subscriber.id, cycle),
    idempotencyKey: invoiceIdempotencyKey(subscriber.tenantId, subscriber.id, cycle),
    number: formatInvoiceNumber(numbering.format, cycle, numbering.sequence),
    tenantId: subscriber.tenantId,
    subscriberId: subscriber.id,
    accountNumber: subscriber.accountNumber,
    cycleKey: cycle.key,
    periodStartMs: cycle.startMs,
    periodEndMs: cycle.endMs,
    dueAtMs: billedFromMs + terms.dueDays * DAY_MS,
    lines,
    totalCents: sumLines(lines),
  };
}

/** The invoice with more lines at its end (usage rated at run time), its total summed again. */
export function withExtraLines(invoice: Invoice, extraLines: readonly InvoiceLine[]): Invoice {
  if (extraLines.length === 0) return invoice;
  const lines = [...invoice.lines, ...extraLines];
  return { ...invoice, lines, totalCents: sumLines(lines) };
}

function recurringLine(plan: BillingPlan, cycle: Cycle): InvoiceLine {
  return {
    kind: 'recurring',
    description: `${plan.name}, cycle from ${cycle.key} (${cycle.days} days)`,
    amountCents: cents(plan.cyclePriceCents),
    planId: plan.id,
    periodStartMs: cycle.startMs,
    periodEndMs: cycle.endMs,
  };
}

/**
 * Cycles the invoice job owes a subscriber at `nowMs`: from the one after the last invoiced
 * (or the one service started in) up to the one containing now. Catches up after downtime.
 * After a cycle-rule change the days between the last billed end and the next new-rule cycle
 * are not billed here; the caller prorates them with `portionForDays` if it wants them.
 */
export function cyclesToInvoice(
  anchor: CycleAnchor,
  serviceStartMs: number,
  lastInvoicedCycleEndMs: number | null,
  nowMs: number,
): Cycle[] {
  const fromMs = lastInvoicedCycleEndMs ?? serviceStartMs;
  const cycles: Cycle[] = [];
  if (fromMs > nowMs) return cycles;
  let cycle = cycleContaining(anchor, fromMs);
  // A rule changed since the last invoice: never bill a cycle that overlaps billed time.
  if (lastInvoicedCycleEndMs !== null && cycle.startMs < lastInvoicedCycleEndMs)
    cycle = nextCycle(anchor, cycle);
  while (cycle.startMs <= nowMs && cycles.length < CATCH_UP_CYCLES_MAX) {
    cycles.push(cycle);
    cycle = nextCycle(anchor, cycle);
  }
  return cycles;
}
