// Shared fixtures for the billing tests: Nairobi wall-clock instants, plans, a subscriber.
import { cents } from '@kiunga/schemas';
import { NAIROBI_OFFSET_MS } from './calendar';
import { defaultInvoiceNumberFormat } from './invoices';
import type { BillingPlan } from './lines';
import { CENTS_PER_SHILLING } from './units';

/** An instant given as Nairobi wall-clock time. */
export const eat = (year: number, month: number, day: number, hour = 0, minute = 0): number =>
  Date.UTC(year, month - 1, day, hour, minute) - NAIROBI_OFFSET_MS;

// Plans of an ISP that invoices cents (whole shillings off): the rule's arithmetic to the cent.
export const basicPlan: BillingPlan = {
  id: 'pln_basic',
  name: 'Basic 5 Mbps',
  cyclePriceCents: cents(100_000),
  unitCents: 1,
};
export const premiumPlan: BillingPlan = {
  id: 'pln_premium',
  name: 'Premium 20 Mbps',
  cyclePriceCents: cents(250_000),
  unitCents: 1,
};
/** The same plans on an ISP that invoices whole shillings (the default). */
export const wholeShilling = (plan: BillingPlan): BillingPlan => ({ ...plan, unitCents: CENTS_PER_SHILLING });

export const subscriber = {
  id: 'sub_amina',
  tenantId: 'tnt_kilimani',
  accountNumber: 'KLM0042',
  serviceStartMs: eat(2025, 12, 5, 10),
};

export const numbering = (sequence: number) => ({ format: defaultInvoiceNumberFormat, sequence });
export const terms = { dueDays: 7 };
