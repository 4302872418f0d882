// When service ends if nothing more is paid: the instant RADIUS expiry (subscribers.expires_at)
// follows, so Session-Timeout and rejection match billing even when a job runs late.
//
// Rule: with an unpaid invoice, service ends at the oldest unpaid invoice's first suspension
// step (its due date + the step's days). With everything paid, it ends where the next,
// not-yet-issued invoice would be suspended: end of the last billed cycle + due days + the
// suspension step's days. A policy without a suspend step never ends service by itself (null).
import type { Cents } from '@kiunga/schemas';
import { DAY_MS } from './calendar';
import type { DunningPolicy } from './dunning';
import type { InvoiceStatus } from './standing';

export interface ExpiryInvoice {
  readonly periodEndMs: number;
  readonly dueAtMs: number;
  readonly outstandingCents: Cents;
  readonly status: InvoiceStatus;
}

/** Undefined when there is nothing billed yet (the caller leaves the expiry alone). */
export function serviceEndsAtMs(
  invoices: readonly ExpiryInvoice[],
  dueDays: number,
  policy: DunningPolicy,
): number | null | undefined {
  if (invoices.length === 0) return undefined;
  const suspendSteps = policy.steps.filter((step) => step.action === 'suspend');
  if (suspendSteps.length === 0) return null;
  const graceDays = Math.min(...suspendSteps.map((step) => step.daysFromDue));
  let oldestUnpaidDueMs: number | null = null;
  let lastPeriodEndMs = Number.NEGATIVE_INFINITY;
  for (const invoice of invoices) {
    lastPeriodEndMs = Math.max(lastPeriodEndMs, invoice.periodEndMs);
    if (invoice.status === 'void' || invoice.outstandingCents <= 0) continue;
    if (oldestUnpaidDueMs === null || invoice.dueAtMs < oldestUnpaidDueMs)
      oldestUnpaidDueMs = invoice.dueAtMs;
  }
  if (oldestUnpaidDueMs !== null) return oldestUnpaidDueMs + graceDays * DAY_MS;
  return lastPeriodEndMs + (dueDays + graceDays) * DAY_MS;
}
