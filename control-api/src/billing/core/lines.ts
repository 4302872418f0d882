// Invoice lines and plans as plain data shared by proration and invoicing.
import { type Cents, cents } from '@kiunga/schemas';
import type { InvoiceUnitCents } from './units';

/** 'usage': data beyond the plan's allowance in the cycle before the invoice's (features/usage/core rating). */
export type InvoiceLineKind = 'recurring' | 'proration_charge' | 'proration_credit' | 'adjustment' | 'usage';

export interface InvoiceLine {
  readonly kind: InvoiceLineKind;
  readonly description: string;
  /** Positive charges, negative credits. */
  readonly amountCents: Cents;
  readonly planId: string | null;
  /** The service period the line pays for, [start, end); null for adjustments. */
  readonly periodStartMs: number | null;
  readonly periodEndMs: number | null;
}

/** A plan as billing sees it: the price of one whole cycle of the subscriber's cycle rule. */
export interface BillingPlan {
  readonly id: string;
  readonly name: string;
  /** A whole number of `unitCents`. */
  readonly cyclePriceCents: Cents;
  /** The ISP's invoice unit: every prorated part of the price is a whole number of these. */
  readonly unitCents: InvoiceUnitCents;
}

export function sumLines(lines: readonly InvoiceLine[]): Cents {
  let total = 0;
  for (const line of lines) total += line.amountCents;
  return cents(total);
}

export function adjustmentLine(description: string, amountCents: Cents): InvoiceLine {
  return {
    kind: 'adjustment',
    description,
    amountCents,
    planId: null,
    periodStartMs: null,
    periodEndMs: null,
  };
}
