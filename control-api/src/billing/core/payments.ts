// Refunds and voids as ledger transfers, decided from a subscriber's ledger; the id payments post under.
import { type Cents, cents } from '@kiunga/schemas';
import type { Transfer } from '../../ledger/ledger';
import { accountStanding } from './standing';
import { type SubscriberAccounts, VOID_REFERENCE } from './transfers';

export interface LedgerState {
  readonly entries: readonly Transfer[];
  readonly accounts: SubscriberAccounts;
}

export function paymentTransferId(provider: string, transactionId: string): string {
  return `pay_${provider}_${transactionId}`;
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
