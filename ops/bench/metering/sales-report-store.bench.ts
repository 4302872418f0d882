// Times the sales report through the real store and route: GET /api/v1/reports/sales over a month of
// 1,000,000 payments in a tenant's SQLite shard (or PostgreSQL with KIUNGA_DATABASE_URL), grouped by
// the database. Figures are printed; nothing is asserted.
// Run: node --import tsx ops/bench/metering/sales-report-store.bench.ts [paymentCount=1000000]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type ApiDependencies, createApp, createTenantWithOwner, deriveTokenKey } from '@kiunga/control-api';
import { createSecretBox, ManualClock, openDatabases, type SqlValue } from '@kiunga/schemas';
import pino from 'pino';

const PAYMENT_COUNT_DEFAULT = 1_000_000;
const PLAN_COUNT = 50;
const DAYS = 30;
/** Rows per INSERT statement: well under SQLite's 32,766 parameters (10 columns × 500). */
const ROWS_PER_INSERT = 500;
const REPEATS = 5;
const START_MS = Date.UTC(2030, 2, 1) - 3 * 60 * 60 * 1000;
const DAY_MS = 86_400_000;
const MASTER_KEY = 'b'.repeat(64);
const PASSWORD = 'correct horse battery staple';

let randomState = 0x73616c65;
function random(): number {
  randomState = (randomState + 0x6d2b79f5) | 0;
  let mixed = Math.imul(randomState ^ (randomState >>> 15), 1 | randomState);
  mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
  return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
}
const pick = (count: number) => Math.floor(random() * count);

async function main() {
  const paymentCount = Number(process.argv[2] ?? PAYMENT_COUNT_DEFAULT);
  const dataDir = await mkdtemp(join(tmpdir(), 'kiunga-sales-bench-'));
  const databases = await openDatabases({ dataDir, databaseUrl: process.env.KIUNGA_DATABASE_URL });
  const clock = new ManualClock(START_MS + DAYS * DAY_MS);
  const dependencies: ApiDependencies = {
    databases,
    secretBox: createSecretBox(MASTER_KEY),
    clock,
    aaa: {
      isUp: () => true,
      metricsText: async () => '',
      listSessions: () => [],
      findSession: () => undefined,
      devicesOfSubject: () => [],
      disconnectSession: async () => ({ outcome: 'not_found' }),
      changeSessionRate: async () => ({ outcome: 'not_found' }),
      reloadNasRegistry: async () => {},
    },
    logger: pino({ level: 'silent' }),
    tokenKey: deriveTokenKey(MASTER_KEY),
    publicUrl: 'http://127.0.0.1:9',
    mpesaBaseUrl: null,
  };
  const app = createApp(dependencies);
  const { tenantId } = await createTenantWithOwner(dependencies, {
    name: 'Bench ISP',
    slug: 'bench',
    tier: 'tier2',
    isTrial: false,
    owner: { email: 'owner@bench.test', password: PASSWORD },
  });
  const tenant = databases.forTenant(tenantId);
  const seedStarted = performance.now();
  for (let plan = 0; plan < PLAN_COUNT; plan += 1) {
    await tenant.run(
      `INSERT INTO plans (id, name, kind, price_cents, validity_seconds, rate_up_kbps, rate_down_kbps, created_at, updated_at)
       VALUES (?, ?, 'hotspot', 3000, 7200, 512, 1024, 0, 0)`,
      [`pln_${plan}`, `Plan ${plan}`],
    );
  }
  // Half portal purchases (each with its purchase row), 30 % paybill to subscribers, 20 % by hand.
  for (let first = 0; first < paymentCount; first += ROWS_PER_INSERT) {
    const count = Math.min(ROWS_PER_INSERT, paymentCount - first);
    const payments: SqlValue[] = [];
    const purchases: SqlValue[] = [];
    for (let offset = 0; offset < count; offset += 1) {
      const index = first + offset;
      const atMs = START_MS + pick(DAYS * DAY_MS);
      const kind = random();
      const amount = 1_000 + pick(50) * 1_000;
      if (kind < 0.5) {
        purchases.push(`pur_${index}`, `pln_${pick(PLAN_COUNT)}`, '254700000000', amount, 'paid', atMs, atMs);
        payments.push(
          `pay_${index}`,
          'mpesa_stk',
          `R${index}`,
          amount,
          'purchase',
          `pur_${index}`,
          'matched',
          atMs,
        );
      } else {
        const provider = kind < 0.8 ? 'mpesa_c2b' : 'manual';
        payments.push(
          `pay_${index}`,
          provider,
          `R${index}`,
          amount,
          'subscriber',
          `sub_${pick(5_000)}`,
          'matched',
          atMs,
        );
      }
    }
    await tenant.transaction(async (transaction) => {
      if (purchases.length > 0) {
        await transaction.run(
          `INSERT INTO purchases (id, plan_id, phone, amount_cents, status, created_at, updated_at) VALUES ${Array(
            purchases.length / 7,
          )
            .fill('(?, ?, ?, ?, ?, ?, ?)')
            .join(', ')}`,
          purchases,
        );
      }
      await transaction.run(
        `INSERT INTO payments (id, provider, provider_transaction_id, amount_cents, matched_kind, matched_id, status, received_at)
         VALUES ${Array(payments.length / 8)
           .fill('(?, ?, ?, ?, ?, ?, ?, ?)')
           .join(', ')}`,
        payments,
      );
    });
  }
  const seedMs = performance.now() - seedStarted;
  const login = await app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@bench.test', password: PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const timings: number[] = [];
  let rows = 0;
  let total = 0;
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    const started = performance.now();
    const response = await app.request(
      `/api/v1/reports/sales?from=${START_MS}&to=${START_MS + DAYS * DAY_MS}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    const report = (await response.json()) as { rows: unknown[]; totals: { count: number } };
    timings.push(performance.now() - started);
    rows = report.rows.length;
    total = report.totals.count;
  }
  timings.sort((left, right) => left - right);
  console.log(
    `${databases.platform.dialect}: seeded ${paymentCount.toLocaleString('en')} payments in ${(seedMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `GET /api/v1/reports/sales, one month: ${total.toLocaleString('en')} payments → ${rows} rows; ` +
      `median ${timings[Math.floor(REPEATS / 2)]?.toFixed(0)} ms, fastest ${timings[0]?.toFixed(0)} ms, slowest ${timings[REPEATS - 1]?.toFixed(0)} ms (${REPEATS} runs)`,
  );
  await databases.close();
  await rm(dataDir, { recursive: true, force: true });
}

await main();
