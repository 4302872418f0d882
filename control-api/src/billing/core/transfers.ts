// The transfers subscriber billing posts to the one ledger (ledger/ledger.ts): invoice charges and
// credits. Each subscriber has a receivable (debit-normal: positive = owes the ISP,
// negative = credit balance); the ISP has revenue and cash accounts (ledger/accounts.ts).
import { cents } from '@kiunga/schemas';
import { LedgerAccount } from '../../ledger/accounts';
import type { Transfer } from '../../ledger/ledger';
import type { Invoice } from './invoices';

export interface SubscriberAccounts {
  readonly receivable: string;
  readonly revenue: string;
  readonly cash: string;
}

/** The reference a voiding transfer carries; an invoice with one is void. */
export const VOID_REFERENCE = 'void';

/**
 * The accounts of the stored ledger (see ledger/accounts.ts); `cash` is where a payment lands, cash on
 * hand unless the caller says otherwise (M-Pesa clearing, bank).
 */
export function subscriberAccounts(
  subscriberId: string,
  cash: string = LedgerAccount.cashOnHand,
): SubscriberAccounts {
  return {
    receivable: LedgerAccount.subscriber(subscriberId),
    revenue: LedgerAccount.subscriptionRevenue,
    cash,
  };
}

/** The charge (positive lines) and credit (negative lines) transfers of an invoice. */
export function postInvoice(invoice: Invoice, accounts: SubscriberAccounts, atMs: number): Transfer[] {
  let charges = 0;
  let credits = 0;
  for (const line of invoice.lines) {
    if (line.amountCents > 0) charges += line.amountCents;
    else credits -= line.amountCents;
  }
  const base = { reference: invoice.number, invoiceId: invoice.id, atMs };
  const transfers: Transfer[] = [];
  if (charges > 0) {
    transfers.push({
      ...base,
      id: `${invoice.id}:charge`,
      debitAccount: accounts.receivable,
      creditAccount: accounts.revenue,
      amount: cents(charges),
      kind: 'invoice',
    });
  }
  if (credits > 0) {
    transfers.push({
      ...base,
      id: `${invoice.id}:credit`,
      debitAccount: accounts.revenue,
      creditAccount: accounts.receivable,
      amount: cents(credits),
      kind: 'credit',
    });
  }
  return transfers;
}
