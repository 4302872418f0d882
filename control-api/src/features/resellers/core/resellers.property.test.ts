// Property tests over random hierarchies, rules and sales: a split is exact to the cent, a wallet never
// goes below zero, and a statement closes (and the next one opens where it closed).
import { type Cents, cents } from '@kiunga/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CENTS_PER_SHILLING, type InvoiceUnitCents } from '../../../billing/core/units';
import { type CommissionRule, CommissionRuleBook } from './commission-rules';
import { RESELLER_DEPTH_LIMIT, ResellerHierarchy, type ResellerLink } from './hierarchy';
import {
  commissionTransfers,
  owedOn,
  payoutTransfer,
  ResellerLedgerAccount,
  type ResellerTransfer,
  stockTransfer,
  topUpTransfer,
} from './ledger';
import { settleSale } from './settlement';
import { resellerStatement } from './statement';
import { decidePayout, decideStockPurchase, type StockPricingMode } from './wallet';

const PLAN_IDS = ['pln_hour', 'pln_day', 'pln_week'];
const PRICE_UNITS_MAX = 200_000;
const START_MS = Date.UTC(2026, 0, 1);

/** Each reseller's parent is null or an earlier reseller that still has room below it. */
const hierarchyArbitrary = fc.array(fc.nat(), { minLength: 1, maxLength: 25 }).map((draws) => {
  const links: ResellerLink[] = [];
  const depths: number[] = [];
  draws.forEach((draw, index) => {
    const candidates = depths.flatMap((depth, parent) => (depth < RESELLER_DEPTH_LIMIT ? [parent] : []));
    const choice = draw % (candidates.length + 1);
    const parent = choice === candidates.length ? null : candidates[choice]!;
    links.push({ id: `r${index}`, parentId: parent === null ? null : `r${parent}` });
    depths.push(parent === null ? 1 : depths[parent]! + 1);
  });
  return ResellerHierarchy.build(links);
});

const ruleArbitrary = fc.record({
  planId: fc.constantFrom(null, ...PLAN_IDS),
  level: fc.integer({ min: 1, max: RESELLER_DEPTH_LIMIT }),
  amount: fc.oneof(
    fc.integer({ min: 0, max: 10_000 }).map((basisPoints) => ({ kind: 'percent' as const, basisPoints })),
    fc
      .integer({ min: 0, max: 5_000_000 })
      .map((amount) => ({ kind: 'fixed' as const, amountCents: cents(amount) })),
  ),
});
/** Random rules, keeping the first of any two for the same (plan, level). */
const ruleBookArbitrary = fc
  .uniqueArray(ruleArbitrary, { maxLength: 12, selector: (rule) => `${rule.level}:${rule.planId}` })
  .map((rules) => ({
    rules: rules as CommissionRule[],
    book: new CommissionRuleBook(rules as CommissionRule[]),
  }));
const unitArbitrary = fc.constantFrom<InvoiceUnitCents>(1, CENTS_PER_SHILLING);

/** The rule restated in BigInt from the words, to compare with what splitSale paid. */
function expectedShares(priceUnits: bigint, rules: readonly (CommissionRule | null)[]): bigint[] {
  let remaining = priceUnits;
  let cumulative = 0n;
  let previousFloor = 0n;
  const shares: bigint[] = [];
  for (const rule of rules) {
    let intended = 0n;
    if (rule?.amount.kind === 'percent') {
      cumulative += BigInt(rule.amount.basisPoints);
      const floor = (priceUnits * cumulative) / 10_000n;
      intended = floor - previousFloor;
      previousFloor = floor;
    } else if (rule?.amount.kind === 'fixed') {
      intended = BigInt(rule.amount.amountCents);
    }
    const share = intended < remaining ? intended : remaining;
    remaining -= share;
    shares.push(share);
  }
  return shares;
}

describe('property: a sale splits exactly', () => {
  it('ISP revenue + every level’s commission = the price, no share negative, each in the ISP’s unit', () => {
    fc.assert(
      fc.property(
        hierarchyArbitrary,
        ruleBookArbitrary,
        unitArbitrary,
        fc.array(
          fc.tuple(fc.nat(), fc.constantFrom(...PLAN_IDS), fc.integer({ min: 0, max: PRICE_UNITS_MAX })),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        (hierarchy, { book }, unitCents, sales) => {
          const ids = hierarchy.visibleTo({ kind: 'isp' });
          sales.forEach(([pick, planId, priceUnits], index) => {
            const resellerId = pick % (ids.length + 1) === ids.length ? null : ids[pick % (ids.length + 1)]!;
            const priceCents = cents(priceUnits * unitCents);
            const { split, items, transfers } = settleSale(
              { saleId: `s${index}`, planId, priceCents, resellerId, settledAtMs: START_MS },
              { hierarchy, rules: book, unitCents },
            );
            const commissions = split.shares.reduce((sum, share) => sum + share.amountCents, 0);
            expect(split.ispRevenueCents + commissions).toBe(priceCents);
            expect(split.ispRevenueCents).toBeGreaterThanOrEqual(0);
            for (const share of split.shares) {
              expect(share.amountCents).toBeGreaterThanOrEqual(0);
              expect(share.amountCents % unitCents).toBe(0);
            }
            const chain = resellerId === null ? [] : hierarchy.chainOf(resellerId);
            const restated = expectedShares(
              BigInt(priceUnits),
              chain.map((_, level) => {
                const rule = book.ruleFor(planId, level + 1);
                if (rule?.amount.kind !== 'fixed') return rule;
                const units = Math.floor(rule.amount.amountCents / unitCents);
                return { ...rule, amount: { kind: 'fixed', amountCents: cents(units) } };
              }),
            );
            expect(split.shares.map((share) => share.amountCents / unitCents)).toEqual(restated.map(Number));
            expect(items.reduce((sum, item) => sum + item.amountCents, 0)).toBe(commissions);
            expect(transfers.reduce((sum, transfer) => sum + transfer.amount, 0)).toBe(commissions);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('without caps, the percentage levels together earn floor(price × their total / 100 %), within one unit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3_333 }), { minLength: 1, maxLength: RESELLER_DEPTH_LIMIT }),
        fc.integer({ min: 0, max: PRICE_UNITS_MAX }),
        unitArbitrary,
        (basisPoints, priceUnits, unitCents) => {
          const rules = basisPoints.map((points, index) => ({
            planId: null,
            level: index + 1,
            amount: { kind: 'percent' as const, basisPoints: points },
          }));
          const chain = basisPoints.map((_, index) => `r${index}`);
          const priceCents = cents(priceUnits * unitCents);
          const shares = settleShares(priceCents, chain, rules, unitCents);
          const total = basisPoints.reduce((sum, points) => sum + points, 0);
          const paid = shares.reduce((sum, share) => sum + share, 0);
          expect(paid).toBe(Math.floor((priceUnits * total) / 10_000) * unitCents);
          basisPoints.forEach((points, index) => {
            const exactTimes10000 = priceUnits * points;
            const error = Math.abs((shares[index]! / unitCents) * 10_000 - exactTimes10000);
            expect(error).toBeLessThan(10_000);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

function settleShares(
  priceCents: Cents,
  chain: string[],
  rules: CommissionRule[],
  unitCents: InvoiceUnitCents,
): number[] {
  const links = chain.map((id, index) => ({ id, parentId: chain[index + 1] ?? null }));
  const { split } = settleSale(
    { saleId: 's', planId: 'p', priceCents, resellerId: chain[0]!, settledAtMs: START_MS },
    { hierarchy: ResellerHierarchy.build(links), rules: new CommissionRuleBook(rules), unitCents },
  );
  return split.shares.map((share) => share.amountCents);
}

type Operation =
  | { kind: 'topup'; reseller: number; shillings: number }
  | { kind: 'stock'; reseller: number; plan: number; count: number; mode: StockPricingMode }
  | { kind: 'payout'; reseller: number; shillings: number };

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant('topup' as const),
    reseller: fc.nat(),
    shillings: fc.integer({ min: 1, max: 50_000 }),
  }),
  fc.record({
    kind: fc.constant('stock' as const),
    reseller: fc.nat(),
    plan: fc.nat(),
    count: fc.integer({ min: 1, max: 50 }),
    mode: fc.constantFrom<StockPricingMode>('commission', 'discount'),
  }),
  fc.record({
    kind: fc.constant('payout' as const),
    reseller: fc.nat(),
    shillings: fc.integer({ min: 1, max: 20_000 }),
  }),
);

/** Runs operations through the decisions, writing transfers only for approvals, as the store will. */
function runBook(
  hierarchy: ResellerHierarchy,
  book: CommissionRuleBook,
  prices: readonly number[],
  operations: readonly Operation[],
): ResellerTransfer[] {
  const ids = hierarchy.visibleTo({ kind: 'isp' });
  const transfers: ResellerTransfer[] = [];
  operations.forEach((operation, index) => {
    const resellerId = ids[operation.reseller % ids.length]!;
    const atMs = START_MS + index * 3_600_000;
    if (operation.kind === 'topup') {
      const amountCents = cents(operation.shillings * 100);
      transfers.push(
        topUpTransfer({
          id: `t${index}`,
          resellerId,
          amountCents,
          method: 'cash',
          reference: 'r',
          atMs,
        }),
      );
      return;
    }
    if (operation.kind === 'payout') {
      const owedCents = owedOn(transfers, ResellerLedgerAccount.commission(resellerId));
      const amountCents = cents(operation.shillings * 100);
      const decision = decidePayout({ owedCents, amountCents });
      expect(decision.ok).toBe(amountCents <= owedCents);
      if (decision.ok) {
        transfers.push(
          payoutTransfer({
            id: `p${index}`,
            resellerId,
            amountCents,
            method: 'cash',
            reference: 'r',
            atMs,
          }),
        );
      }
      return;
    }
    const walletCents = owedOn(transfers, ResellerLedgerAccount.wallet(resellerId));
    const priceCents = cents(prices[operation.plan % prices.length]!);
    const decision = decideStockPurchase({
      walletCents,
      planId: PLAN_IDS[operation.plan % PLAN_IDS.length]!,
      planName: 'Plan',
      priceCents,
      count: operation.count,
      chain: hierarchy.chainOf(resellerId),
      rules: book,
      mode: operation.mode,
      unitCents: CENTS_PER_SHILLING,
    });
    if (!decision.ok) {
      expect(decision.code).toBe('wallet_insufficient');
      return;
    }
    const commissions = decision.commissions.reduce((sum, level) => sum + level.amountCents, 0);
    expect(decision.ispRevenueCents + decision.discountCents + commissions).toBe(
      priceCents * operation.count,
    );
    expect(decision.costCents).toBeLessThanOrEqual(walletCents);
    if (decision.costCents > 0) {
      transfers.push(
        stockTransfer({ purchaseId: `s${index}`, resellerId, costCents: decision.costCents, atMs }),
      );
    }
    transfers.push(...commissionTransfers({ saleId: `s${index}`, shares: decision.commissions, atMs }));
  });
  return transfers;
}

describe('property: wallets and commission accounts never go below zero', () => {
  it('holds over random top-ups, purchases in both modes and payouts', () => {
    fc.assert(
      fc.property(
        hierarchyArbitrary,
        ruleBookArbitrary,
        fc.array(
          fc.integer({ min: 0, max: 2_000 }).map((shillings) => shillings * 100),
          { minLength: 1, maxLength: 3 },
        ),
        fc.array(operationArbitrary, { maxLength: 60 }),
        (hierarchy, { book }, prices, operations) => {
          const transfers = runBook(hierarchy, book, prices, operations);
          for (let end = 1; end <= transfers.length; end += 1) {
            const prefix = transfers.slice(0, end);
            for (const id of hierarchy.visibleTo({ kind: 'isp' })) {
              expect(owedOn(prefix, ResellerLedgerAccount.wallet(id))).toBeGreaterThanOrEqual(0);
              expect(owedOn(prefix, ResellerLedgerAccount.commission(id))).toBeGreaterThanOrEqual(0);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('property: a statement closes', () => {
  it('closing = opening + movements = the ledger balance at the end, and the next period opens there', () => {
    fc.assert(
      fc.property(
        hierarchyArbitrary,
        ruleBookArbitrary,
        fc.array(operationArbitrary, { maxLength: 40 }),
        fc.tuple(fc.nat({ max: 60 }), fc.nat({ max: 60 })),
        (hierarchy, { book }, operations, [first, second]) => {
          const transfers = runBook(hierarchy, book, [5_000, 30_000], operations);
          const boundaries = [Math.min(first, second), Math.max(first, second) + 1].map(
            (hours) => START_MS + hours * 3_600_000,
          );
          for (const id of hierarchy.visibleTo({ kind: 'isp' })) {
            const one = resellerStatement(transfers, id, { startMs: START_MS - 1, endMs: boundaries[0]! });
            const two = resellerStatement(transfers, id, { startMs: boundaries[0]!, endMs: boundaries[1]! });
            for (const statement of [one, two]) {
              const { wallet, commissions } = statement;
              expect(wallet.closingCents).toBe(
                wallet.openingCents + wallet.topUpsCents - wallet.stockCents + wallet.adjustmentsCents,
              );
              expect(commissions.closingCents).toBe(
                commissions.openingCents +
                  commissions.earnedCents -
                  commissions.payoutsCents +
                  commissions.adjustmentsCents,
              );
              const upToEnd = transfers.filter((transfer) => transfer.atMs < statement.period.endMs);
              expect(wallet.closingCents).toBe(owedOn(upToEnd, ResellerLedgerAccount.wallet(id)));
              expect(commissions.closingCents).toBe(owedOn(upToEnd, ResellerLedgerAccount.commission(id)));
            }
            expect(two.wallet.openingCents).toBe(one.wallet.closingCents);
            expect(two.commissions.openingCents).toBe(one.commissions.closingCents);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
