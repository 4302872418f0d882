// The ledger facts of a period as the sync reads them: plain data in the shapes Kiunga's billing keeps
// (control-api/src/billing: invoices with lines, payments with what they settled, voids, refunds).
import type { Cents } from '@kiunga/schemas';

export interface LedgerCustomer {
  /** Kiunga's subscriber id: the vendor record is found again by it. */
  readonly id: string;
  readonly accountNumber: string;
  readonly fullName: string;
  readonly phone: string | null;
}

export interface LedgerInvoiceLine {
  readonly description: string;
  /** Positive charges, negative credits (proration, adjustments), as InvoiceLine.amountCents. */
  readonly amountCents: Cents;
}

export interface LedgerInvoice {
  readonly id: string;
  readonly number: string;
  readonly subscriberId: string;
  readonly issuedAtMs: number;
  readonly dueAtMs: number;
  readonly lines: readonly LedgerInvoiceLine[];
  /** Sum of the lines; negative when credits exceed charges (the excess is the subscriber's credit). */
  readonly totalCents: Cents;
}

export interface LedgerPayment {
  /** Kiunga's payment id. */
  readonly id: string;
  readonly subscriberId: string;
  /** mpesa | bank | cash | manual … */
  readonly provider: string;
  /** The M-Pesa receipt or bank reference. */
  readonly providerTransactionId: string;
  readonly amountCents: Cents;
  readonly receivedAtMs: number;
  /** What of it settled which invoice (billing's `Allocation`); the rest became credit balance. */
  readonly allocations: ReadonlyArray<{ readonly invoiceId: string; readonly amountCents: Cents }>;
}

export interface LedgerVoid {
  readonly invoiceId: string;
  readonly atMs: number;
  /** What had been paid towards the invoice when it was voided: it returned to the credit balance. */
  readonly paidCents: Cents;
}

export interface LedgerRefund {
  /** The refund transfer's id. */
  readonly id: string;
  readonly subscriberId: string;
  readonly amountCents: Cents;
  readonly reference: string;
  readonly atMs: number;
}

export interface LedgerPeriodFacts {
  readonly tenantId: string;
  readonly periodStartMs: number;
  readonly periodEndMs: number;
  /** Every subscriber any other fact names. */
  readonly customers: readonly LedgerCustomer[];
  readonly invoices: readonly LedgerInvoice[];
  readonly payments: readonly LedgerPayment[];
  readonly voids: readonly LedgerVoid[];
  readonly refunds: readonly LedgerRefund[];
}
