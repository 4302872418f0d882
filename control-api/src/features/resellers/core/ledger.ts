// A reseller's money in the ISP's one ledger: two accounts per reseller and the transfers that move them.
//
// `reseller_wallet:<id>` is the float: top-ups credit it, stock purchases debit it. `reseller_commission:<id>`
// is what the ISP owes in commissions: commissions credit it, payouts debit it. Both are the ISP's
// liabilities, so their balance is credits minus debits, and neither may go below zero. Commissions are
// the ISP's cost, debited to `reseller_commissions`; stock is hotspot revenue like a portal sale.
import { type Cents, cents } from '@kiunga/schemas';
import { LedgerAccount, type ManualPaymentMethod, receivingAccountFor } from '../../../ledger/accounts';
import type { CommissionShare } from './split';

export const ResellerLedgerAccount = {
  wallet: (resellerId: string) => `reseller_wallet:${resellerId}`,
  commission: (resellerId: string) => `reseller_commission:${resellerId}`,
  /** The ISP's cost of commissions, against its hotspot and subscription revenue. */
  commissionExpense: 'reseller_commissions',
} as const;

export type ResellerTransferKind =
  | 'reseller_topup'
  | 'reseller_stock'
  | 'reseller_commission'
  | 'reseller_payout'
  | 'reseller_adjustment';

/** The fields of money/ledger.ts's Transfer (the integration adds these kinds to its union), plus the time. */
export interface ResellerTransfer {
  /** Chosen from the event (top-up id or M-Pesa receipt, purchase id, sale id and level): a replay collides. */
  readonly transferId: string;
  readonly debitAccount: string;
  readonly creditAccount: string;
  /** Always positive. */
  readonly amount: Cents;
  readonly kind: ResellerTransferKind;
  readonly reference: string | null;
  readonly atMs: number;
}

function transfer(fields: ResellerTransfer): ResellerTransfer {
  if (!Number.isSafeInteger(fields.amount) || fields.amount <= 0) {
    throw new RangeError(`a transfer moves a positive number of cents, got ${fields.amount}`);
  }
  return fields;
}

/** Money between the ISP and a reseller, in cash, by M-Pesa or by bank. */
export interface CashMovement {
  /** The top-up's or payout's id; an M-Pesa receipt for an STK top-up. */
  readonly id: string;
  readonly resellerId: string;
  readonly amountCents: Cents;
  readonly method: ManualPaymentMethod;
  /** Cash-book entry, receipt number or bank reference, as the ISP recorded it. */
  readonly reference: string;
  readonly atMs: number;
}

/** Money received from the reseller (cash at the office, M-Pesa STK to the ISP's shortcode, bank). */
export function topUpTransfer(input: CashMovement): ResellerTransfer {
  return transfer({
    transferId: `reseller_topup:${input.id}`,
    debitAccount: receivingAccountFor(input.method),
    creditAccount: ResellerLedgerAccount.wallet(input.resellerId),
    amount: input.amountCents,
    kind: 'reseller_topup',
    reference: input.reference,
    atMs: input.atMs,
  });
}

/** Voucher stock paid from the wallet: hotspot revenue, like a portal sale. */
export function stockTransfer(input: {
  readonly purchaseId: string;
  readonly resellerId: string;
  readonly costCents: Cents;
  readonly atMs: number;
}): ResellerTransfer {
  return transfer({
    transferId: `reseller_stock:${input.purchaseId}`,
    debitAccount: ResellerLedgerAccount.wallet(input.resellerId),
    creditAccount: LedgerAccount.hotspotSales,
    amount: input.costCents,
    kind: 'reseller_stock',
    reference: input.purchaseId,
    atMs: input.atMs,
  });
}

/** One transfer per level that earned something on a sale (zero shares move nothing). */
export function commissionTransfers(input: {
  readonly saleId: string;
  readonly shares: readonly Pick<CommissionShare, 'resellerId' | 'level' | 'amountCents'>[];
  readonly atMs: number;
}): ResellerTransfer[] {
  return input.shares
    .filter((share) => share.amountCents > 0)
    .map((share) =>
      transfer({
        transferId: `reseller_commission:${input.saleId}:${share.level}`,
        debitAccount: ResellerLedgerAccount.commissionExpense,
        creditAccount: ResellerLedgerAccount.commission(share.resellerId),
        amount: share.amountCents,
        kind: 'reseller_commission',
        reference: input.saleId,
        atMs: input.atMs,
      }),
    );
}

/** Commission paid out by the ISP (cash, or an M-Pesa transfer whose receipt is the reference). */
export function payoutTransfer(input: CashMovement): ResellerTransfer {
  return transfer({
    transferId: `reseller_payout:${input.id}`,
    debitAccount: ResellerLedgerAccount.commission(input.resellerId),
    creditAccount: receivingAccountFor(input.method),
    amount: input.amountCents,
    kind: 'reseller_payout',
    reference: input.reference,
    atMs: input.atMs,
  });
}

/** Credits minus debits: what the ISP owes on a liability account. */
export function owedOn(transfers: Iterable<ResellerTransfer>, account: string): Cents {
  let owed = 0;
  for (const entry of transfers) {
    if (entry.creditAccount === account) owed += entry.amount;
    if (entry.debitAccount === account) owed -= entry.amount;
  }
  return cents(owed);
}
