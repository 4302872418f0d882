// C2B (paybill/till) payments: match the account reference the customer typed to a subscriber's
// account number, a voucher code or a phone; keep anything else unmatched for the ISP to assign.
import { cents, newId, normaliseKenyanPhone, type TenantShard } from '@kiunga/schemas';
import { LedgerAccount, postTransfer } from './ledger';

export type C2bMatch =
  | { kind: 'subscriber'; id: string }
  | { kind: 'voucher'; id: string }
  | { kind: 'purchase'; id: string }
  | null;

export function matchC2bReference(shard: TenantShard, reference: string): C2bMatch {
  const trimmed = reference.trim();
  if (trimmed.length === 0) return null;
  const subscriber = shard
    .statement('SELECT id FROM subscribers WHERE account_number = ? COLLATE NOCASE')
    .get(trimmed) as { id: string } | undefined;
  if (subscriber) return { kind: 'subscriber', id: subscriber.id };
  const voucher = shard.statement('SELECT id FROM vouchers WHERE code = ?').get(trimmed.toUpperCase()) as
    | { id: string }
    | undefined;
  if (voucher) return { kind: 'voucher', id: voucher.id };
  const phone = normaliseKenyanPhone(trimmed);
  if (phone) {
    const subscriberByPhone = shard
      .statement(`SELECT id FROM subscribers WHERE phone IN (?, ?) ORDER BY created_at LIMIT 1`)
      .get(phone, `0${phone.slice(3)}`) as { id: string } | undefined;
    if (subscriberByPhone) return { kind: 'subscriber', id: subscriberByPhone.id };
  }
  return null;
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
  | { kind: 'duplicate' };

/** Records a confirmed payment once (unique TransID) with its ledger transfer, in one transaction. */
export function recordC2bPayment(shard: TenantShard, payment: C2bPaymentInput, nowMs: number): C2bOutcome {
  return shard.sqlite.transaction((): C2bOutcome => {
    const existing = shard
      .statement(`SELECT id FROM payments WHERE provider = 'mpesa_c2b' AND provider_transaction_id = ?`)
      .get(payment.transId);
    if (existing) return { kind: 'duplicate' };
    const match = matchC2bReference(shard, payment.billRefNumber);
    const paymentId = newId('payment');
    shard
      .statement(
        `INSERT INTO payments (id, provider, provider_transaction_id, amount_cents, phone, account_reference,
                               matched_kind, matched_id, status, received_at)
         VALUES (?, 'mpesa_c2b', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        paymentId,
        payment.transId,
        payment.amount,
        payment.msisdn,
        payment.billRefNumber,
        match?.kind ?? null,
        match?.id ?? null,
        match ? 'matched' : 'unmatched',
        nowMs,
      );
    postTransfer(
      shard,
      {
        transferId: `mpesa:${payment.transId}`,
        debitAccount: LedgerAccount.mpesaClearing,
        creditAccount: creditAccountFor(match),
        amount: cents(payment.amount),
        kind: match ? 'payment' : 'unmatched_payment',
        reference: paymentId,
      },
      nowMs,
    );
    return match ? { kind: 'applied', match, paymentId } : { kind: 'unmatched', paymentId };
  })();
}

function creditAccountFor(match: C2bMatch): string {
  if (match?.kind === 'subscriber') return LedgerAccount.subscriber(match.id);
  if (match) return LedgerAccount.hotspotSales;
  return LedgerAccount.unassignedPayments;
}
