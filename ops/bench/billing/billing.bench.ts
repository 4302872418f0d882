// Times one invoice run of the pure billing engine: 100,000 subscribers across 100 ISPs, in memory.
// Run: node --import tsx ops/bench/billing/billing.bench.ts [subscriberCount] [tenantCount]
// A store plugs in through `writeInvoices` (default: no-op), so the SQLite variant times the same run.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
// control-api does not export billing from its package index yet; the lead wires that up.
import {
  type BillingPlan,
  CENTS_PER_SHILLING,
  cycleContaining,
  defaultInvoiceNumberFormat,
  type Invoice,
  type InvoiceRunSubscriber,
  type InvoiceRunTenant,
  postInvoice,
  previousCycle,
  proratePlanChange,
  resolveCycleAnchor,
  runInvoiceJob,
  subscriberAccounts,
  type Transfer,
} from '@kiunga/control-api/billing';
import { cents } from '@kiunga/schemas';

const SUBSCRIBER_COUNT_DEFAULT = 100_000;
const TENANT_COUNT_DEFAULT = 100;
const PLANS_PER_TENANT = 5;
/** Shares of subscribers on the slower paths: signup-day cycles, joined mid-January (never invoiced), a plan change. */
const SIGNUP_DAY_SHARE = 0.2;
const NEW_THIS_CYCLE_SHARE = 0.05;
const PLAN_CHANGE_SHARE = 0.05;
const TARGET_MS = 10_000;
/** 09:00 EAT on 1 February 2026: the monthly run after the January cycle. */
const RUN_AT_MS = Date.UTC(2026, 1, 1, 6);
const DAY_MS = 86_400_000;

export type WriteInvoices = (
  tenantId: string,
  invoices: readonly Invoice[],
  transfers: readonly Transfer[],
) => void | Promise<void>;

export interface BillingBenchOptions {
  subscriberCount: number;
  tenantCount: number;
  /** Called once per ISP with that ISP's invoices and ledger transfers; time spent here is counted. */
  writeInvoices?: WriteInvoices;
}

export interface BillingBenchReport {
  subscriberCount: number;
  tenantCount: number;
  invoiceCount: number;
  transferCount: number;
  totalBilledCents: number;
  runMs: number;
  invoicesPerSecond: number;
}

interface TenantInput {
  tenant: InvoiceRunTenant;
  subscribers: InvoiceRunSubscriber[];
  plansById: Map<string, BillingPlan>;
}

/** Deterministic (mulberry32), so two runs bill the same book. */
let randomState = 0x62696c6c;
function random(): number {
  randomState = (randomState + 0x6d2b79f5) | 0;
  let mixed = Math.imul(randomState ^ (randomState >>> 15), 1 | randomState);
  mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
  return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
}

function makeTenant(tenantIndex: number, subscriberCount: number): TenantInput {
  const tenantId = `tnt_${String(tenantIndex).padStart(3, '0')}`;
  const cycleRule = { lengthMonths: 1, anchorDay: 1 };
  // Whole-shilling prices and invoices, every ISP's default (docs/decisions.md "Whole-shilling invoices by default").
  const plans: BillingPlan[] = Array.from({ length: PLANS_PER_TENANT }, (_, index) => ({
    id: `${tenantId}_pln_${index}`,
    name: `Home ${5 * (index + 1)} Mbps`,
    cyclePriceCents: cents(150_000 + index * 100_000 + tenantIndex * CENTS_PER_SHILLING * 7),
    unitCents: CENTS_PER_SHILLING,
  }));
  const anchor = resolveCycleAnchor(cycleRule, null, 0);
  const january = cycleContaining(anchor, RUN_AT_MS - DAY_MS);
  const subscribers: InvoiceRunSubscriber[] = [];
  for (let index = 0; index < subscriberCount; index++) {
    const plan = plans[Math.floor(random() * plans.length)]!;
    const isNew = random() < NEW_THIS_CYCLE_SHARE;
    const serviceStartMs = isNew
      ? january.startMs + (1 + Math.floor(random() * 29)) * DAY_MS + 8 * 3_600_000
      : Date.UTC(2025, Math.floor(random() * 12), 1 + Math.floor(random() * 28), 8);
    const usesSignupDay = !isNew && random() < SIGNUP_DAY_SHARE;
    const cycleOverride = usesSignupDay ? { lengthMonths: 1, anchorDay: 'signup_day' as const } : null;
    const ownAnchor = resolveCycleAnchor(cycleRule, cycleOverride, serviceStartMs);
    const lastCycle = previousCycle(ownAnchor, cycleContaining(ownAnchor, RUN_AT_MS));
    const changed = !isNew && !usesSignupDay && random() < PLAN_CHANGE_SHARE;
    const newPlan = plans[(plans.indexOf(plan) + 1) % plans.length]!;
    subscribers.push({
      id: `${tenantId}_sub_${index}`,
      tenantId,
      accountNumber: `A${tenantIndex}${String(index).padStart(5, '0')}`,
      serviceStartMs,
      planId: changed ? newPlan.id : plan.id,
      cycleOverride,
      lastInvoicedCycleEndMs: isNew ? null : lastCycle.endMs,
      pendingLines: changed ? proratePlanChange(plan, newPlan, january, january.startMs + 12 * DAY_MS) : [],
    });
  }
  const tenant: InvoiceRunTenant = {
    tenantId,
    cycleRule,
    terms: { dueDays: 7 },
    numberFormat: defaultInvoiceNumberFormat,
    nextSequence: 1_000,
  };
  return { tenant, subscribers, plansById: new Map(plans.map((plan) => [plan.id, plan])) };
}

export async function runBillingBench(options: BillingBenchOptions): Promise<BillingBenchReport> {
  const perTenant = Math.ceil(options.subscriberCount / options.tenantCount);
  const inputs = Array.from({ length: options.tenantCount }, (_, index) =>
    makeTenant(index, Math.min(perTenant, options.subscriberCount - index * perTenant)),
  );
  const writeInvoices = options.writeInvoices ?? (() => {});
  let invoiceCount = 0;
  let transferCount = 0;
  let totalBilledCents = 0;
  const startedAt = performance.now();
  for (const { tenant, subscribers, plansById } of inputs) {
    const result = runInvoiceJob(tenant, subscribers, plansById, RUN_AT_MS);
    const transfers: Transfer[] = [];
    for (const invoice of result.invoices) {
      const accounts = subscriberAccounts(invoice.subscriberId);
      transfers.push(...postInvoice(invoice, accounts, RUN_AT_MS));
      totalBilledCents += invoice.totalCents;
    }
    await writeInvoices(tenant.tenantId, result.invoices, transfers);
    invoiceCount += result.invoices.length;
    transferCount += transfers.length;
  }
  const runMs = performance.now() - startedAt;
  return {
    subscriberCount: options.subscriberCount,
    tenantCount: options.tenantCount,
    invoiceCount,
    transferCount,
    totalBilledCents,
    runMs,
    invoicesPerSecond: Math.round((invoiceCount / runMs) * 1000),
  };
}

async function main(): Promise<void> {
  const subscriberCount = Number(process.argv[2] ?? SUBSCRIBER_COUNT_DEFAULT);
  const tenantCount = Number(process.argv[3] ?? TENANT_COUNT_DEFAULT);
  const report = await runBillingBench({ subscriberCount, tenantCount });
  const verdict = report.runMs < TARGET_MS ? 'under' : 'OVER';
  console.log(
    [
      `invoice run: ${report.subscriberCount} subscribers across ${report.tenantCount} ISPs`,
      `  invoices ${report.invoiceCount}, ledger transfers ${report.transferCount}`,
      `  billed Ksh ${(report.totalBilledCents / 100).toLocaleString('en-KE')}`,
      `  ${report.runMs.toFixed(0)} ms (${report.invoicesPerSecond} invoices/s), ${verdict} the ${TARGET_MS} ms target`,
    ].join('\n'),
  );
  if (report.runMs >= TARGET_MS) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
