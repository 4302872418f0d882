// Settling sales made through resellers: each sale's split, the commission rows the reseller console
// lists (`GET /api/v1/resellers/<id>/commissions` items) and the ledger transfers, for one sale (a portal
// purchase through `?r=<code>` when its M-Pesa callback settles it) or many (a replay, the benchmark).
import { type Cents, cents } from '@kiunga/schemas';
import type { InvoiceUnitCents } from '../../../billing/core/units';
import type { CommissionRuleBook } from './commission-rules';
import type { ResellerHierarchy } from './hierarchy';
import { commissionTransfers, type ResellerTransfer } from './ledger';
import { type SaleSplit, splitSale } from './split';

export interface SaleToSettle {
  /** The purchase id: commission transfer ids derive from it, so settling twice posts once. */
  readonly saleId: string;
  readonly planId: string;
  readonly priceCents: Cents;
  /** The reseller credited (its link or typed code); null: a sale of the ISP's own. */
  readonly resellerId: string | null;
  readonly settledAtMs: number;
}

export interface SettlementContext {
  /** Includes deactivated resellers: they keep what they earned on sales already made. */
  readonly hierarchy: ResellerHierarchy;
  readonly rules: CommissionRuleBook;
  readonly unitCents: InvoiceUnitCents;
}

/** One row per level that earned something: `{saleId, amountCents, level, ...}` of the contract. */
export interface CommissionItem {
  readonly saleId: string;
  readonly resellerId: string;
  readonly level: number;
  readonly amountCents: Cents;
  readonly planId: string;
  readonly salePriceCents: Cents;
  readonly settledAtMs: number;
}

export interface SettledSale {
  readonly sale: SaleToSettle;
  readonly split: SaleSplit;
  readonly items: readonly CommissionItem[];
  readonly transfers: readonly ResellerTransfer[];
}

export function settleSale(sale: SaleToSettle, context: SettlementContext): SettledSale {
  const chain = sale.resellerId === null ? [] : context.hierarchy.chainOf(sale.resellerId);
  const split = splitSale({
    planId: sale.planId,
    priceCents: sale.priceCents,
    chain,
    rules: context.rules,
    unitCents: context.unitCents,
  });
  const earning = split.shares.filter((share) => share.amountCents > 0);
  const items = earning.map((share) => ({
    saleId: sale.saleId,
    resellerId: share.resellerId,
    level: share.level,
    amountCents: share.amountCents,
    planId: sale.planId,
    salePriceCents: sale.priceCents,
    settledAtMs: sale.settledAtMs,
  }));
  const transfers = commissionTransfers({ saleId: sale.saleId, shares: earning, atMs: sale.settledAtMs });
  return { sale, split, items, transfers };
}

export interface SettlementSummary {
  readonly saleCount: number;
  readonly grossCents: Cents;
  readonly ispRevenueCents: Cents;
  readonly commissionCents: Cents;
  readonly transferCount: number;
  /** Commission earned per reseller over these sales. */
  readonly earnedByReseller: ReadonlyMap<string, Cents>;
}

/** Settles every sale in order; `onSettled` receives each (to write it) before the next is split. */
export function settleSales(
  sales: Iterable<SaleToSettle>,
  context: SettlementContext,
  onSettled?: (settled: SettledSale) => void,
): SettlementSummary {
  let saleCount = 0;
  let gross = 0;
  let ispRevenue = 0;
  let commission = 0;
  let transferCount = 0;
  const earnedByReseller = new Map<string, number>();
  for (const sale of sales) {
    const settled = settleSale(sale, context);
    saleCount += 1;
    gross += sale.priceCents;
    ispRevenue += settled.split.ispRevenueCents;
    transferCount += settled.transfers.length;
    for (const item of settled.items) {
      commission += item.amountCents;
      earnedByReseller.set(item.resellerId, (earnedByReseller.get(item.resellerId) ?? 0) + item.amountCents);
    }
    onSettled?.(settled);
  }
  return {
    saleCount,
    grossCents: cents(gross),
    ispRevenueCents: cents(ispRevenue),
    commissionCents: cents(commission),
    transferCount,
    earnedByReseller: earnedByReseller as Map<string, Cents>,
  };
}
