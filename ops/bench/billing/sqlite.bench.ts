// Times the invoice job through the store on SQLite (SqliteDatabases, the async data layer): 100 tenant
// shards × 1,000 subscribers in a temp data dir, every invoice and ledger transfer written (one
// immediate transaction per shard).
// Run: node --import tsx ops/bench/billing/sqlite.bench.ts [tenantCount] [subscribersPerTenant]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runTenantInvoices } from '@kiunga/control-api';
import { type SqlDatabase, SqliteDatabases } from '@kiunga/schemas';

const TENANT_COUNT_DEFAULT = 100;
const SUBSCRIBERS_PER_TENANT_DEFAULT = 1_000;
const PLANS_PER_TENANT = 5;
const TARGET_MS = 10_000;
/** Shares on the slower paths: joined mid-January (two invoices, one prorated), own signup-day cycle. */
const JOINED_IN_JANUARY_SHARE = 0.05;
const SIGNUP_DAY_SHARE = 0.2;
/** 00:00 EAT on 1 February 2026 and 09:00 the same day, when the run happens. */
const FEBRUARY_MS = Date.UTC(2026, 0, 31, 21);
const RUN_AT_MS = FEBRUARY_MS + 9 * 3_600_000;
const DAY_MS = 86_400_000;

/** Deterministic (mulberry32), so two runs bill the same book. */
let randomState = 0x73716c;
function random(): number {
  randomState = (randomState + 0x6d2b79f5) | 0;
  let mixed = Math.imul(randomState ^ (randomState >>> 15), 1 | randomState);
  mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
  return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
}

async function seedTenant(
  database: SqlDatabase,
  tenantIndex: number,
  subscriberCount: number,
): Promise<void> {
  await database.transaction(async (transaction) => {
    for (let index = 0; index < PLANS_PER_TENANT; index++) {
      await transaction.run(
        `INSERT INTO plans (id, name, kind, price_cents, billing_cycle_months, rate_up_kbps, rate_down_kbps, created_at, updated_at)
         VALUES (?, ?, 'pppoe', ?, 1, 5000, 5000, 0, 0)`,
        [`pln_${index}`, `Home ${5 * (index + 1)} Mbps`, 150_000 + index * 100_000 + tenantIndex * 7],
      );
    }
    for (let index = 0; index < subscriberCount; index++) {
      const id = `sub_${index}`;
      const isNew = random() < JOINED_IN_JANUARY_SHARE;
      const createdAt = isNew ? FEBRUARY_MS - (1 + Math.floor(random() * 29)) * DAY_MS : FEBRUARY_MS;
      const planId = `pln_${Math.floor(random() * PLANS_PER_TENANT)}`;
      await transaction.run(
        `INSERT INTO subscribers (id, username, password_sealed, plan_id, account_number, kind, status, created_at, updated_at)
         VALUES (?, ?, 'sealed', ?, ?, 'pppoe', 'active', ?, ?)`,
        [id, `user${index}`, planId, `A${String(index).padStart(6, '0')}`, createdAt, createdAt],
      );
      if (!isNew && random() < SIGNUP_DAY_SHARE) {
        await transaction.run(
          `INSERT INTO billing_subscribers (subscriber_id, cycle_length_months, cycle_anchor_day, updated_at)
           VALUES (?, 1, 'signup_day', 0)`,
          [id],
        );
      }
    }
  });
}

async function main(): Promise<void> {
  const tenantCount = Number(process.argv[2] ?? TENANT_COUNT_DEFAULT);
  const perTenant = Number(process.argv[3] ?? SUBSCRIBERS_PER_TENANT_DEFAULT);
  const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-billing-bench-'));
  const databases = new SqliteDatabases({ dataDir });
  try {
    const tenantIds = Array.from(
      { length: tenantCount },
      (_, index) => `ten_bench${String(index).padStart(3, '0')}`,
    );
    const seedStartedAt = performance.now();
    for (const [index, tenantId] of tenantIds.entries()) {
      await databases.createTenant(tenantId);
      await seedTenant(databases.forTenant(tenantId), index, perTenant);
    }
    const seedMs = performance.now() - seedStartedAt;
    let invoices = 0;
    let transfers = 0;
    const startedAt = performance.now();
    for (const tenantId of tenantIds) {
      const report = await runTenantInvoices(databases.forTenant(tenantId), tenantId, RUN_AT_MS);
      invoices += report.invoices;
      transfers += report.transfers;
    }
    const runMs = performance.now() - startedAt;
    const verdict = runMs < TARGET_MS ? 'under' : 'OVER';
    console.log(
      [
        `SQLite invoice run: ${tenantCount} shards × ${perTenant} subscribers (seeded in ${seedMs.toFixed(0)} ms)`,
        `  invoices ${invoices}, ledger transfers ${transfers}`,
        `  ${runMs.toFixed(0)} ms (${Math.round((invoices / runMs) * 1000)} invoices/s), ${verdict} the ${TARGET_MS} ms target`,
      ].join('\n'),
    );
    if (runMs >= TARGET_MS) process.exitCode = 1;
  } finally {
    await databases.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
