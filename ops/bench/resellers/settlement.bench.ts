// Times a commission settlement through the pure reseller core: 100,000 sales of one ISP, 80 % through a
// three-level hierarchy of 1,000 resellers, each split by the cumulative-floor rule into ISP revenue and
// commissions, with commission rows and ledger transfers built; checks every shilling is accounted for.
// Run: node --import tsx ops/bench/resellers/settlement.bench.ts [--sales 100000] [--resellers 1000]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  CommissionRuleBook,
  ResellerHierarchy,
  type ResellerLink,
  type SaleToSettle,
  settleSales,
} from '@kiunga/control-api/features/resellers';
import { cents } from '@kiunga/schemas';
import { randomBelow, seededRandom } from '../seeded-random';

const SALES_DEFAULT = 100_000;
const RESELLERS_DEFAULT = 1_000;
/** Share of sales through a reseller's link or code; the rest are the ISP's own portal sales. */
const RESELLER_SALE_SHARE = 0.8;
/** Whole-shilling hotspot prices: 1 hour, 3 hours, a day, a week, a month. */
const PLAN_PRICES_SHILLINGS = [10, 20, 50, 250, 1_000];
const START_MS = Date.UTC(2026, 2, 1, 6);

/** A fifth at the top, two fifths at depth 2 and 3, each under a random reseller one level up. */
function hierarchyOf(count: number, random: () => number): ResellerHierarchy {
  const links: ResellerLink[] = [];
  const levels: string[][] = [[], [], []];
  for (let index = 0; index < count; index += 1) {
    const depth = index < count / 5 ? 0 : index < (3 * count) / 5 ? 1 : 2;
    const parents = levels[depth - 1];
    const parentId = parents === undefined ? null : parents[randomBelow(random, parents.length)]!;
    const id = `rsl_${index}`;
    links.push({ id, parentId });
    levels[depth]!.push(id);
  }
  return ResellerHierarchy.build(links);
}

function* salesOf(
  count: number,
  resellerIds: readonly string[],
  random: () => number,
): Generator<SaleToSettle> {
  for (let index = 0; index < count; index += 1) {
    const plan = randomBelow(random, PLAN_PRICES_SHILLINGS.length);
    yield {
      saleId: `pur_${index}`,
      planId: `pln_${plan}`,
      priceCents: cents(PLAN_PRICES_SHILLINGS[plan]! * 100),
      resellerId:
        random() < RESELLER_SALE_SHARE ? resellerIds[randomBelow(random, resellerIds.length)]! : null,
      settledAtMs: START_MS + index * 1_000,
    };
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      sales: { type: 'string', default: String(SALES_DEFAULT) },
      resellers: { type: 'string', default: String(RESELLERS_DEFAULT) },
    },
  });
  const saleCount = Number(values.sales);
  const random = seededRandom(0x72736c72);
  const hierarchy = hierarchyOf(Number(values.resellers), random);
  const rules = new CommissionRuleBook([
    { planId: null, level: 1, amount: { kind: 'percent', basisPoints: 1_000 } },
    { planId: null, level: 2, amount: { kind: 'percent', basisPoints: 200 } },
    { planId: null, level: 3, amount: { kind: 'percent', basisPoints: 100 } },
    { planId: 'pln_4', level: 1, amount: { kind: 'fixed', amountCents: cents(12_000) } },
  ]);
  const sales = [...salesOf(saleCount, hierarchy.visibleTo({ kind: 'isp' }), random)];
  let itemCount = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  const startedAt = performance.now();
  const summary = settleSales(sales, { hierarchy, rules, unitCents: 100 }, (settled) => {
    itemCount += settled.items.length;
  });
  const runMs = performance.now() - startedAt;
  const heapAfter = process.memoryUsage().heapUsed;
  const balanced = summary.grossCents === summary.ispRevenueCents + summary.commissionCents;
  console.log(
    JSON.stringify(
      {
        sales: summary.saleCount,
        resellers: hierarchy.size,
        commissionRows: itemCount,
        ledgerTransfers: summary.transferCount,
        grossKsh: summary.grossCents / 100,
        ispRevenueKsh: summary.ispRevenueCents / 100,
        commissionKsh: summary.commissionCents / 100,
        balanced,
        runMs: Math.round(runMs),
        salesPerSecond: Math.round((summary.saleCount / runMs) * 1_000),
        heapGrowthMiB: Math.round(((heapAfter - heapBefore) / 1_048_576) * 10) / 10,
      },
      null,
      2,
    ),
  );
  if (!balanced) process.exitCode = 1;
}

main();
