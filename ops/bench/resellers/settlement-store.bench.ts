// Times commission settlement through the real store: 100,000 paid portal sales through resellers of a
// three-level hierarchy of 1,000, each settled as the M-Pesa callback settles it (settlePortalSale in its
// own transaction on a tenant's SQLite shard: the seller's chain, the rules, commission rows and ledger
// transfers); with --replay settles every sale again (a replayed callback) and checks nothing was posted twice.
// Figures are printed; nothing is asserted but the books.
// Run: node --import tsx ops/bench/resellers/settlement-store.bench.ts [--sales 100000] [--resellers 1000] [--replay]
// Each settlement is one committed transaction, as each callback is: on a loaded machine the commit's
// fsync, not the split, is most of its time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { settlePortalSale } from '@kiunga/control-api';
import { openDatabases, type SqlDatabase } from '@kiunga/schemas';
import { randomBelow, seededRandom } from '../seeded-random';

const SALES_DEFAULT = 100_000;
const RESELLERS_DEFAULT = 1_000;
/** Whole-shilling hotspot prices: 1 hour, 3 hours, a day, a week, a month. */
const PLAN_PRICES_SHILLINGS = [10, 20, 50, 250, 1_000];
const START_MS = Date.UTC(2030, 2, 1, 6);
/** Rows per seeding transaction: big enough that seeding is not what the run waits on. */
const SEED_BATCH = 1_000;

async function seed(tenant: SqlDatabase, resellerCount: number, random: () => number): Promise<string[]> {
  for (const [index, shillings] of PLAN_PRICES_SHILLINGS.entries()) {
    await tenant.run(
      `INSERT INTO plans (id, name, kind, price_cents, validity_seconds, rate_up_kbps, rate_down_kbps, created_at, updated_at)
       VALUES (?, ?, 'hotspot', ?, 3600, 512, 1024, 0, 0)`,
      [`pln_${index}`, `Plan ${index}`, shillings * 100],
    );
  }
  const rules: Array<[string, number, number | null, number | null]> = [
    ['', 1, 1_000, null],
    ['', 2, 200, null],
    ['', 3, 100, null],
    ['pln_4', 1, null, 12_000],
  ];
  for (const [planKey, level, basisPoints, fixedCents] of rules) {
    await tenant.run(
      `INSERT INTO commission_rules (id, plan_id, plan_key, level, percent_basis_points, fixed_cents, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 0, 0)`,
      [`crl_${planKey}_${level}`, planKey === '' ? null : planKey, planKey, level, basisPoints, fixedCents],
    );
  }
  // A fifth at the top, two fifths at depth 2 and 3, each under a random reseller one level up.
  const levels: string[][] = [[], [], []];
  await tenant.transaction(async (transaction) => {
    for (let index = 0; index < resellerCount; index += 1) {
      const depth = index < resellerCount / 5 ? 0 : index < (3 * resellerCount) / 5 ? 1 : 2;
      const parents = levels[depth - 1];
      const parentId = parents === undefined ? null : parents[randomBelow(random, parents.length)]!;
      const id = `rsl_${index}`;
      levels[depth]!.push(id);
      await transaction.run(
        `INSERT INTO resellers (id, code, name, email, phone, parent_id, depth, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, '254700000000', ?, ?, 'active', 0, 0)`,
        [id, `C${index}`, `Reseller ${index}`, `r${index}@bench.test`, parentId, depth + 1],
      );
    }
  });
  return levels.flat();
}

interface Sale {
  id: string;
  planId: string;
  amountCents: number;
  resellerId: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sales: { type: 'string', default: String(SALES_DEFAULT) },
      resellers: { type: 'string', default: String(RESELLERS_DEFAULT) },
      replay: { type: 'boolean', default: false },
    },
  });
  const saleCount = Number(values.sales);
  const dataDir = await mkdtemp(join(tmpdir(), 'kiunga-resellers-bench-'));
  const databases = await openDatabases({ dataDir });
  try {
    await databases.createTenant('ten_bench');
    const tenant = databases.forTenant('ten_bench');
    const random = seededRandom(0x72736c72);
    const resellerIds = await seed(tenant, Number(values.resellers), random);
    const sales: Sale[] = [];
    for (let index = 0; index < saleCount; index += 1) {
      const plan = randomBelow(random, PLAN_PRICES_SHILLINGS.length);
      sales.push({
        id: `pur_${index}`,
        planId: `pln_${plan}`,
        amountCents: PLAN_PRICES_SHILLINGS[plan]! * 100,
        resellerId: resellerIds[randomBelow(random, resellerIds.length)]!,
      });
    }
    for (let start = 0; start < sales.length; start += SEED_BATCH) {
      await tenant.transaction(async (transaction) => {
        for (const sale of sales.slice(start, start + SEED_BATCH)) {
          await transaction.run(
            `INSERT INTO purchases (id, plan_id, phone, amount_cents, status, reseller_id, created_at, updated_at)
             VALUES (?, ?, '254700000001', ?, 'paid', ?, 0, 0)`,
            [sale.id, sale.planId, sale.amountCents, sale.resellerId],
          );
        }
      });
    }
    const heapBefore = process.memoryUsage().heapUsed;
    const startedAt = performance.now();
    for (const [index, sale] of sales.entries()) {
      await tenant.transaction((transaction) => settlePortalSale(transaction, sale, START_MS + index));
    }
    const elapsedMs = performance.now() - startedAt;
    const heapGrowthMiB = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    const replayStartedAt = performance.now();
    if (values.replay) {
      for (const [index, sale] of sales.entries()) {
        await tenant.transaction((transaction) => settlePortalSale(transaction, sale, START_MS + index));
      }
    }
    const replayMs = performance.now() - replayStartedAt;
    const rows = await tenant.get<{ count: number; total: number }>(
      'SELECT COUNT(*) AS count, SUM(amount_cents) AS total FROM reseller_commissions',
    );
    const ledger = await tenant.get<{ count: number; total: number }>(
      `SELECT COUNT(*) AS count, SUM(amount_cents) AS total FROM ledger_entries WHERE kind = 'reseller_commission'`,
    );
    const gross = sales.reduce((sum, sale) => sum + sale.amountCents, 0);
    if (rows?.count !== ledger?.count || rows?.total !== ledger?.total) {
      throw new Error('commission rows and ledger transfers differ');
    }
    console.log(
      `${saleCount} portal sales through ${resellerIds.length} resellers, settled one callback transaction each ` +
        `on SQLite: ${Math.round(elapsedMs)} ms (${Math.round(saleCount / (elapsedMs / 1000))} sales/s), ` +
        `heap growth ${heapGrowthMiB.toFixed(1)} MiB`,
    );
    console.log(
      `${rows?.count} commission rows = ${ledger?.count} ledger transfers, Ksh ${(rows?.total ?? 0) / 100} ` +
        `of Ksh ${gross / 100} gross` +
        (values.replay ? `; replaying every callback: ${Math.round(replayMs)} ms, nothing posted twice` : ''),
    );
  } finally {
    await databases.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
