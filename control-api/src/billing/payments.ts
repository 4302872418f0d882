// Payments, refunds and voids as ledger transfers, with what each payment settled.
import { type Cents, cents } from '@kiunga/schemas';
import {
  appendTransfers,
  type SubscriberAccounts,
  sameTransfer,
  type Transfer,
  VOID_REFERENCE,
} from './ledger';
import { accountStanding } from './standing';

export interface LedgerState {
  readonly entries: readonly Transfer[];
  readonly accounts: SubscriberAccounts;
}

/** A payment already matched to the subscriber (C2B bill reference = account number). */
export interface IncomingPayment {
  /** mpesa | bank | paypal | cash: keeps transaction ids of different providers apart. */
  readonly provider: string;
  /** The provider's id (M-Pesa receipt): a replayed callback maps to the same transfer. */
  readonly transactionId: string;
  readonly amountCents: Cents;
  readonly receivedAtMs: number;
}

export interface Allocation {
  readonly invoiceId: string;
  readonly amountCents: Cents;
}

export type PaymentResult =
  | {
      readonly outcome: 'applied';
      readonly entries: readonly Transfer[];
      readonly transfer: Transfer;
      readonly allocations: readonly Allocation[];
      readonly creditBalanceCents: Cents;
    }
  | { readonly outcome: 'duplicate'; readonly entries: readonly Transfer[]; readonly transfer: Transfer }
  /** Same provider transaction id, different amount or account: forged or corrupt; nothing changes. */
  | { readonly outcome: 'conflict'; readonly entries: readonly Transfer[]; readonly existing: Transfer };

export function paymentTransferId(provider: string, transactionId: string): string {
  return `pay_${provider}_${transactionId}`;
}

export function applyPayment(state: LedgerState, payment: IncomingPayment): PaymentResult {
  if (!Number.isSafeInteger(payment.amountCents) || payment.amountCents <= 0) {
    throw new RangeError(`payment amount must be positive cents, got ${payment.amountCents}`);
  }
  const transfer: Transfer = {
    id: paymentTransferId(payment.provider, payment.transactionId),
    debitAccount: state.accounts.cash,
    creditAccount: state.accounts.receivable,
    amount: payment.amountCents,
    kind: 'payment',
    reference: payment.transactionId,
    invoiceId: null,
    atMs: payment.receivedAtMs,
  };
  const existing = state.entries.find((entry) => entry.id === transfer.id);
  if (existing) {
    return sameTransfer(existing, transfer)
      ? { outcome: 'duplicate', entries: state.entries, transfer: existing }
      : { outcome: 'conflict', entries: state.entries, existing };
  }
  const before = accountStanding(state.entries, state.accounts.receivable);
  const { entries } = appendTransfers(state.entries, [transfer]);
  const after = accountStanding(entries, state.accounts.receivable);
  const paidBefore = new Map(before.invoices.map((invoice) => [invoice.invoiceId, invoice.paidCents]));
  const allocations: Allocation[] = [];
  for (const invoice of after.invoices) {
    const settled = invoice.paidCents - (paidBefore.get(invoice.invoiceId) ?? 0);
    if (settled > 0) allocations.push({ invoiceId: invoice.invoiceId, amountCents: cents(settled) });
  }
  return { outcome: 'applied', entries, transfer, allocations, creditBalanceCents: after.creditBalanceCents };
}

/**
 * Reverses what an invoice still nets (charges minus credits) with one adjustment marked void;
 * money already paid towards it returns to the credit balance. Null when it nets to zero.
 */
export function voidInvoiceTransfer(state: LedgerState, invoiceId: string, atMs: number): Transfer | null {
  const standing = accountStanding(state.entries, state.accounts.receivable).invoices.find(
    (invoice) => invoice.invoiceId === invoiceId,
  );
  if (!standing || standing.status === 'void' || standing.amountCents === 0) return null;
  const isCharge = standing.amountCents < 0;
  return {
    id: `${invoiceId}:void`,
    debitAccount: isCharge ? state.accounts.receivable : state.accounts.revenue,
    creditAccount: isCharge ? state.accounts.revenue : state.accounts.receivable,
    amount: cents(Math.abs(standing.amountCents)),
    kind: 'adjustment',
    reference: VOID_REFERENCE,
    invoiceId,
    atMs,
  };
}

/** Pays back credit balance; refusing more than the subscriber holds is the caller's error to show. */
export function refundTransfer(
  state: LedgerState,
  refund: { id: string; amountCents: Cents; reference: string; atMs: number },
): Transfer | { refused: 'exceeds_credit_balance'; creditBalanceCents: Cents } {
  const { creditBalanceCents } = accountStanding(state.entries, state.accounts.receivable);
  if (refund.amountCents <= 0 || refund.amountCents > creditBalanceCents) {
    return { refused: 'exceeds_credit_balance', creditBalanceCents };
  }
  return {
    id: refund.id,
    debitAccount: state.accounts.receivable,
    creditAccount: state.accounts.cash,
    amount: refund.amountCents,
    kind: 'refund',
    reference: refund.reference,
    invoiceId: null,
    atMs: refund.atMs,
  };
}
