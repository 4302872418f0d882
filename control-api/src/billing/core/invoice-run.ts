// One ISP's invoice job over plain data: which invoices each subscriber is owed now.
import { type CycleAnchor, type CycleRule, resolveCycleAnchor } from './cycles';
import {
  type BillingSubscriber,
  cyclesToInvoice,
  generateInvoice,
  type Invoice,
  type InvoiceNumberFormat,
  type InvoiceTerms,
} from './invoices';
import type { BillingPlan, InvoiceLine } from './lines';

export interface InvoiceRunTenant {
  readonly tenantId: string;
  readonly cycleRule: CycleRule;
  readonly terms: InvoiceTerms;
  readonly numberFormat: InvoiceNumberFormat;
  /** The next free number in the ISP's invoice sequence. */
  readonly nextSequence: number;
}

export interface InvoiceRunSubscriber extends BillingSubscriber {
  readonly planId: string;
  readonly cycleOverride: CycleRule | null;
  /** End of the last cycle invoiced; null before the first invoice. */
  readonly lastInvoicedCycleEndMs: number | null;
  /** Plan-change proration and adjustments waiting for the next invoice. */
  readonly pendingLines: readonly InvoiceLine[];
}

export interface InvoiceRunResult {
  readonly invoices: Invoice[];
  readonly nextSequence: number;
  readonly skipped: { subscriberId: string; reason: 'plan_not_found' }[];
}

export function runInvoiceJob(
  tenant: InvoiceRunTenant,
  subscribers: readonly InvoiceRunSubscriber[],
  plansById: ReadonlyMap<string, BillingPlan>,
  nowMs: number,
): InvoiceRunResult {
  const invoices: Invoice[] = [];
  const skipped: InvoiceRunResult['skipped'] = [];
  let sequence = tenant.nextSequence;
  const sharedAnchor = resolveCycleAnchor(tenant.cycleRule, null, 0);
  for (const subscriber of subscribers) {
    const plan = plansById.get(subscriber.planId);
    if (!plan) {
      skipped.push({ subscriberId: subscriber.id, reason: 'plan_not_found' });
      continue;
    }
    const anchor = anchorFor(tenant, subscriber, sharedAnchor);
    const cycles = cyclesToInvoice(
      anchor,
      subscriber.serviceStartMs,
      subscriber.lastInvoicedCycleEndMs,
      nowMs,
    );
    for (const [index, cycle] of cycles.entries()) {
      const pendingLines = index === 0 ? subscriber.pendingLines : [];
      const numbering = { format: tenant.numberFormat, sequence };
      invoices.push(generateInvoice(subscriber, plan, cycle, pendingLines, numbering, tenant.terms));
      sequence++;
    }
  }
  return { invoices, nextSequence: sequence, skipped };
}

/** A fixed-day ISP rule does not depend on the subscriber, so it is resolved once per run. */
function anchorFor(
  tenant: InvoiceRunTenant,
  subscriber: InvoiceRunSubscriber,
  sharedAnchor: CycleAnchor,
): CycleAnchor {
  const rule = subscriber.cycleOverride ?? tenant.cycleRule;
  if (subscriber.cycleOverride === null && rule.anchorDay !== 'signup_day') return sharedAnchor;
  return resolveCycleAnchor(tenant.cycleRule, subscriber.cycleOverride, subscriber.serviceStartMs);
}
