// Corrections staff make to a subscriber's account: voiding an invoice issued in error and paying
// back a credit balance. Each is one ledger transfer written in the transaction that re-derives
// the account, and repeating the same request changes nothing more.
import { type Cents, formatKsh, KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { recordInvoiceVoided } from '../features/webhooks/emitters';
import { LedgerAccount, type ManualPaymentMethod, receivingAccountFor } from '../ledger/accounts';
import { postTransfers } from '../ledger/ledger';
import { refundTransfer, voidInvoiceTransfer } from './core/payments';
import { accountStanding } from './core/standing';
import { subscriberAccounts } from './core/transfers';
import { assertSubscriberExists } from './payments-store';
import { getInvoice, type InvoiceDetail } from './queries';
import { loadSubscriberLedger, refreshSubscriberAccount } from './store';

export interface VoidResult {
  invoice: InvoiceDetail;
  isDuplicate: boolean;
}

/**
 * Voids an invoice: what it still nets is reversed, money already paid towards it becomes credit
 * balance, and the cycle stays billed (the invoice run does not issue it again).
 */
export function voidInvoice(database: SqlDatabase, invoiceId: string, nowMs: number): Promise<VoidResult> {
  return database.transaction(async (transaction): Promise<VoidResult> => {
    const row = await transaction.get<{ subscriberId: string }>(
      'SELECT subscriber_id AS "subscriberId" FROM invoices WHERE id = ?',
      [invoiceId],
    );
    if (!row) throw new KiungaError('not_found', 'No such invoice.');
    const state = {
      entries: await loadSubscriberLedger(transaction, row.subscriberId),
      accounts: subscriberAccounts(row.subscriberId),
    };
    const transfer = voidInvoiceTransfer(state, invoiceId, nowMs);
    if (!transfer) {
      const invoice = await getInvoice(transaction, invoiceId);
      if (invoice.status === 'void') return { invoice, isDuplicate: true };
      throw new KiungaError('conflict', 'This invoice comes to Ksh 0; there is nothing to void.');
    }
    await postTransfers(transaction, [transfer]);
    await refreshSubscriberAccount(transaction, row.subscriberId, nowMs);
    const invoice = await getInvoice(transaction, invoiceId);
    await recordInvoiceVoided(transaction, invoice, nowMs);
    return { invoice, isDuplicate: false };
  });
}

export interface RefundInput {
  subscriberId: string;
  amountCents: Cents;
  /** How the money went back: out of the cash drawer, by bank, or by M-Pesa. */
  method: ManualPaymentMethod;
  reference: string | null;
  /** The client's key: retrying the same request refunds once. */
  idempotencyKey: string;
}

export interface RefundResult {
  refund: {
    id: string;
    subscriberId: string;
    amountCents: number;
    method: ManualPaymentMethod;
    reference: string;
    at: number;
  };
  creditBalanceCents: number;
  isDuplicate: boolean;
}

export function refundTransferId(idempotencyKey: string): string {
  return `refund_manual_${idempotencyKey}`;
}

/** Pays back part or all of a credit balance; never more than the subscriber holds. */
export function refundCredit(
  database: SqlDatabase,
  input: RefundInput,
  nowMs: number,
): Promise<RefundResult> {
  return database.transaction(async (transaction): Promise<RefundResult> => {
    await assertSubscriberExists(transaction, input.subscriberId);
    const id = refundTransferId(input.idempotencyKey);
    const cash = receivingAccountFor(input.method);
    const accounts = subscriberAccounts(input.subscriberId, cash);
    const reference = input.reference ?? input.method;
    const existing = await transaction.get<{
      debitAccount: string;
      creditAccount: string;
      amountCents: number;
      reference: string;
      at: number;
    }>(
      `SELECT debit_account AS "debitAccount", credit_account AS "creditAccount", amount_cents AS "amountCents",
                reference, created_at AS at
           FROM ledger_entries WHERE transfer_id = ?`,
      [id],
    );
    if (existing) {
      if (
        existing.debitAccount !== accounts.receivable ||
        existing.creditAccount !== cash ||
        existing.amountCents !== input.amountCents
      ) {
        throw new KiungaError('conflict', 'This idempotency key was used for a different refund.');
      }
      return {
        refund: {
          id,
          subscriberId: input.subscriberId,
          amountCents: existing.amountCents,
          method: input.method,
          reference: existing.reference,
          at: existing.at,
        },
        creditBalanceCents: await creditBalanceOf(transaction, input.subscriberId),
        isDuplicate: true,
      };
    }
    const state = { entries: await loadSubscriberLedger(transaction, input.subscriberId), accounts };
    const transfer = refundTransfer(state, { id, amountCents: input.amountCents, reference, atMs: nowMs });
    if ('refused' in transfer) {
      throw new KiungaError(
        'conflict',
        transfer.creditBalanceCents > 0
          ? `The credit balance is ${formatKsh(transfer.creditBalanceCents)}; refund at most that.`
          : 'This subscriber has no credit balance to refund.',
      );
    }
    await postTransfers(transaction, [transfer]);
    const standing = await refreshSubscriberAccount(transaction, input.subscriberId, nowMs);
    return {
      refund: {
        id,
        subscriberId: input.subscriberId,
        amountCents: input.amountCents,
        method: input.method,
        reference,
        at: nowMs,
      },
      creditBalanceCents: standing.creditBalanceCents,
      isDuplicate: false,
    };
  });
}

async function creditBalanceOf(database: SqlDatabase, subscriberId: string): Promise<number> {
  const ledger = await loadSubscriberLedger(database, subscriberId);
  return accountStanding(ledger, LedgerAccount.subscriber(subscriberId)).creditBalanceCents;
}
