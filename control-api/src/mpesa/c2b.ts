// C2B (paybill/till) payments: match the account reference the customer typed to a subscriber's
// account number, a voucher code or a phone; keep anything else unmatched for the ISP to assign.
import { cents, newId, normaliseKenyanPhone, type SqlDatabase } from '@kiunga/schemas';
import { recordPaymentReceived } from '../features/webhooks/emitters';
import { type C2bPayment, C2bRejectionCode } from '../integrations/mpesa/index';
import { LedgerAccount, postTransfer } from '../ledger/ledger';
import { isMpesaReceiptRecorded } from './purchases';

export type C2bMatch =
  | { kind: 'subscriber'; id: string }
  | { kind: 'voucher'; id: string }
  | { kind: 'purchase'; id: string }
  | null;

export async function matchC2bReference(database: SqlDatabase, reference: string): Promise<C2bMatch> {
  const trimmed = reference.trim();
  if (trimmed.length === 0) return null;
  // Case-insensitive, as people type it: the exact account number first (its unique index), then any case.
  const subscriber =
    (await database.get<{ id: string }>('SELECT id FROM subscribers WHERE account_number = ?', [trimmed])) ??
    (await database.get<{ id: string }>(
      'SELECT id FROM subscribers WHERE lower(account_number) = lower(?) ORDER BY created_at, id LIMIT 1',
      [trimmed],
    ));
  if (subscriber) return { kind: 'subscriber', id: subscriber.id };
  const voucher = await database.get<{ id: string }>('SELECT id FROM vouchers WHERE code = ?', [
    trimmed.toUpperCase(),
  ]);
  if (voucher) return { kind: 'voucher', id: voucher.id };
  const phone = normaliseKenyanPhone(trimmed);
  if (phone) {
    const subscriberByPhone = await database.get<{ id: string }>(
      'SELECT id FROM subscribers WHERE phone IN (?, ?) ORDER BY created_at, id LIMIT 1',
      [phone, `0${phone.slice(3)}`],
    );
    if (subscriberByPhone) return { kind: 'subscriber', id: subscriberByPhone.id };
  }
  return null;
}

/**
 * Daraja's TransactionType of a payment to a till ("Buy Goods or Pay Bill", Daraja, Customer To Business
 * (C2B), Callback Parameter Definition), and the CommandID name of the same, which some gateways pass
 * through. Tills carry no account reference: BillRefNumber is "Applicable only to Customer PayBill
 * Transactions", "usually null for till number" (same page, Callback Parameter Definition and Simulate).
 */
export const BUY_GOODS_TRANSACTION_TYPES: readonly string[] = ['Buy Goods', 'CustomerBuyGoodsOnline'];

/**
 * Our answer to a C2B validation: accept a positive amount whose reference we can match, and a till
 * payment even without one (it lands in the ISP's unmatched queue); refuse a paybill payment to an
 * unknown account with C2B00012, so the customer is told to check the account number before paying.
 */
export async function c2bValidationVerdict(
  database: SqlDatabase,
  payment: C2bPayment,
): Promise<'accept' | C2bRejectionCode> {
  if (payment.amount <= 0) return C2bRejectionCode.InvalidAmount;
  if (BUY_GOODS_TRANSACTION_TYPES.includes(payment.transactionType)) return 'accept';
  const match = await matchC2bReference(database, payment.billRefNumber);
  return match ? 'accept' : C2bRejectionCode.InvalidAccountNumber;
}

export interface C2bPaymentInput {
  transId: string;
  amount: number;
  msisdn: string;
  billRefNumber: string;
}

export type C2bOutcome =
  | { kind: 'applied'; match: Exclude<C2bMatch, null>; paymentId: string }
  | { kind: 'unmatched'; paymentId: string }
  | { kind: 'duplicate' }
  /** A confirmation of nothing ("0.00"): no money moved, so nothing is recorded but the raw callback. */
  | { kind: 'invalid_amount' };

/** Records a confirmed payment once (unique TransID) with its ledger transfer, in one transaction. */
export async function recordC2bPayment(
  database: SqlDatabase,
  payment: C2bPaymentInput,
  nowMs: number,
): Promise<C2bOutcome> {
  if (!Number.isSafeInteger(payment.amount) || payment.amount <= 0) return { kind: 'invalid_amount' };
  return database.transaction(async (transaction): Promise<C2bOutcome> => {
    // By either path: an STK payment's receipt may come back as a C2B confirmation of the same money.
    if (await isMpesaReceiptRecorded(transaction, payment.transId)) return { kind: 'duplicate' };
    const match = await matchC2bReference(transaction, payment.billRefNumber);
    const paymentId = newId('payment');
    await transaction.run(
      `INSERT INTO payments (id, provider, provider_transaction_id, amount_cents, phone, account_reference,
                             matched_kind, matched_id, status, received_at)
       VALUES (?, 'mpesa_c2b', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        paymentId,
        payment.transId,
        payment.amount,
        payment.msisdn,
        payment.billRefNumber,
        match?.kind ?? null,
        match?.id ?? null,
        match ? 'matched' : 'unmatched',
        nowMs,
      ],
    );
    await postTransfer(transaction, {
      id: `mpesa:${payment.transId}`,
      debitAccount: LedgerAccount.mpesaClearing,
      creditAccount: creditAccountFor(match),
      amount: cents(payment.amount),
      kind: match ? 'payment' : 'unmatched_payment',
      reference: paymentId,
      invoiceId: null,
      atMs: nowMs,
    });
    const subscriberId = match?.kind === 'subscriber' ? match.id : null;
    await recordPaymentReceived(
      transaction,
      {
        paymentId,
        subscriberId,
        amountCents: payment.amount,
        method: 'mpesa',
        providerReference: payment.transId,
      },
      nowMs,
    );
    return match ? { kind: 'applied', match, paymentId } : { kind: 'unmatched', paymentId };
  });
}

function creditAccountFor(match: C2bMatch): string {
  if (match?.kind === 'subscriber') return LedgerAccount.subscriber(match.id);
  if (match) return LedgerAccount.hotspotSales;
  return LedgerAccount.unassignedPayments;
}
