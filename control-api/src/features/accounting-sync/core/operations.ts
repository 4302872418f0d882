// One unit of work a sync sends to an accounting vendor, with the stable key that makes it idempotent:
// the key names the Kiunga record it comes from, so a rerun finds it done in the sync log.
import { createHash } from 'node:crypto';
import type { Cents } from '@kiunga/schemas';
import type { LedgerCustomer, LedgerInvoice, LedgerInvoiceLine } from './facts';

interface OperationBase {
  /** Stable across runs: built only from Kiunga ids. */
  readonly key: string;
  /** Keys whose vendor records this one refers to; it waits until they are synced. */
  readonly dependsOn: readonly string[];
  /** When it happened in Kiunga (orders the plan). */
  readonly atMs: number;
}

export type SyncOperation =
  | (OperationBase & { readonly kind: 'customer'; readonly customer: LedgerCustomer })
  | (OperationBase & {
      readonly kind: 'invoice';
      readonly customerKey: string;
      readonly invoice: LedgerInvoice;
    })
  | (OperationBase & {
      readonly kind: 'credit_note';
      readonly customerKey: string;
      /** The document number shown in the books (the invoice's number with a suffix). */
      readonly number: string;
      readonly reference: string;
      readonly lines: readonly LedgerInvoiceLine[];
      readonly totalCents: Cents;
      /** Part of the credit settling an invoice (Xero allocation); the rest stays as credit. */
      readonly allocation: { readonly invoiceKey: string; readonly amountCents: Cents } | null;
    })
  | (OperationBase & {
      readonly kind: 'payment';
      readonly customerKey: string;
      readonly paymentId: string;
      readonly reference: string;
      readonly amountCents: Cents;
      readonly applications: ReadonlyArray<{ readonly invoiceKey: string; readonly amountCents: Cents }>;
    })
  | (OperationBase & {
      readonly kind: 'overpayment';
      readonly customerKey: string;
      readonly paymentId: string;
      readonly reference: string;
      readonly amountCents: Cents;
    })
  | (OperationBase & { readonly kind: 'void_invoice'; readonly invoiceKey: string })
  | (OperationBase & {
      readonly kind: 'refund';
      readonly customerKey: string;
      readonly refundId: string;
      readonly reference: string;
      readonly amountCents: Cents;
      /** Xero: the credit note or overpayment the money is paid out of; null when none is known. */
      readonly sourceKey: string | null;
    });

export type SyncOperationKind = SyncOperation['kind'];

export const OperationKey = {
  customer: (subscriberId: string) => `customer:${subscriberId}`,
  invoice: (invoiceId: string) => `invoice:${invoiceId}`,
  /** An invoice whose credits exceed its charges is booked as a credit note. */
  invoiceCredit: (invoiceId: string) => `invoice-credit:${invoiceId}`,
  void: (invoiceId: string) => `void:${invoiceId}`,
  /** A paid invoice is cancelled by a credit note (vendors refuse to void a paid invoice). */
  voidCredit: (invoiceId: string) => `void-credit:${invoiceId}`,
  payment: (paymentId: string) => `payment:${paymentId}`,
  paymentApplication: (paymentId: string, invoiceId: string) => `payment:${paymentId}:${invoiceId}`,
  overpayment: (paymentId: string) => `overpayment:${paymentId}`,
  refund: (refundId: string) => `refund:${refundId}`,
  refundPart: (refundId: string, sourceKey: string) => `refund:${refundId}:${sourceKey}`,
} as const;

/** Characters of the hex digest kept: 160 bits never collide in one company, and fit QuickBooks' 50. */
const REQUEST_ID_DIGEST_CHARS = 40;

/**
 * The vendor request id of an operation: the same tenant, key and generation give the same id (a retry
 * is recognised by the vendor); a new generation (after the vendor refused the data) is a new request.
 * Hashed so it fits QuickBooks' 50 characters and Xero's 128 whatever the Kiunga ids' lengths.
 */
export function requestIdOf(tenantId: string, key: string, generation: number): string {
  const digest = createHash('sha256').update(`${tenantId}\n${key}\n${generation}`).digest('hex');
  return `k${digest.slice(0, REQUEST_ID_DIGEST_CHARS)}`;
}
