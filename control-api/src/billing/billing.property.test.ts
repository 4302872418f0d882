// Property tests: proration and balances never create or lose a cent (balances through the store on a
// test shard, driven by the functions routes and jobs call); dunning is idempotent.
import { type Cents, cents, type SqlDatabase } from '@kiunga/schemas';
import { useTestDatabases } from '@kiunga/schemas/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeSubscriberPlan } from '../features/subscribers/service';
import { balanceOf, LedgerAccount, loadAccountTransfers, type Transfer } from '../ledger/ledger';
import { recordC2bPayment } from '../mpesa/c2b';
import { refundCredit, voidInvoice } from './adjustments-store';
import { DAY_MS } from './core/calendar';
import {
  type Cycle,
  type CycleAnchor,
  type CycleRule,
  cycleContaining,
  resolveCycleAnchor,
} from './core/cycles';
import { type DunningAccount, type DunningPolicy, dunningActions } from './core/dunning';
import { type BillingPlan, type InvoiceLine, sumLines } from './core/lines';
import { dayOfCycle, portionForDays, proratePlanChange, prorateStart } from './core/proration';
import { accountStanding } from './core/standing';
import { CENTS_PER_SHILLING, type InvoiceUnitCents, isWholeUnits } from './core/units';
import { defaultBillingSettings, writeBillingSettings } from './settings';
import { refreshSubscriberAccount, runTenantInvoices } from './store';
import { insertPlan, insertSubscriber } from './test-tenant';

const START_2026 = Date.UTC(2026, 0, 1);
const YEAR_MS = 365 * DAY_MS;
const PRICE_MAX_CENTS = 10_000_000;

const ruleArbitrary = fc
  .record({
    lengthMonths: fc.integer({ min: 1, max: 12 }),
    anchorDay: fc.oneof(fc.integer({ min: 1, max: 28 }), fc.constant('signup_day' as const)),
    signupAtMs: fc.integer({ min: START_2026, max: START_2026 + YEAR_MS }),
  })
  .map(({ signupAtMs, ...rule }): { rule: CycleRule; signupAtMs: number } => ({ rule, signupAtMs }));
const anchorArbitrary = ruleArbitrary.map(({ rule, signupAtMs }) => ({
  anchor: resolveCycleAnchor(rule, null, signupAtMs),
  signupAtMs,
}));
/** Cents (whole shillings off) or whole shillings (the default). */
const unitArbitrary = fc.constantFrom<InvoiceUnitCents>(1, CENTS_PER_SHILLING);
/** A plan price in whole units: the store rounds prices to the ISP's unit before proration sees them. */
const priceIn = (unitCents: InvoiceUnitCents) =>
  fc.integer({ min: 0, max: PRICE_MAX_CENTS / unitCents }).map((units) => cents(units * unitCents));

/** The cumulative-floor rule restated independently in BigInt: price for days [from, to), in units. */
function expectedPortion(price: number, from: number, to: number, days: number, unitCents = 1): bigint {
  const unit = BigInt(unitCents);
  const share = (elapsed: number) => ((BigInt(price) / unit) * BigInt(elapsed)) / BigInt(days);
  return (share(to) - share(from)) * unit;
}

describe('property (b): prorating a cycle across plan changes', () => {
  it('sums exactly to each plan’s share of its days, each share within one unit of exact', () => {
    fc.assert(
      fc.property(
        anchorArbitrary,
        fc.integer({ min: 0, max: YEAR_MS }),
        unitArbitrary.chain((unitCents) =>
          fc.tuple(
            fc.constant(unitCents),
            fc.array(fc.tuple(priceIn(unitCents), fc.nat()), { minLength: 1, maxLength: 8 }),
          ),
        ),
        fc.boolean(),
        ({ anchor }, offsetMs, [unitCents, steps], startsMidCycle) => {
          const cycle = cycleContaining(anchor, START_2026 + offsetMs);
          const plans = steps.map(([price], index) => plan(index, price, unitCents));
          const days = steps.map(([, day]) => day % cycle.days).sort((left, right) => left - right);
          if (!startsMidCycle) days[0] = 0;
          const lines: InvoiceLine[] = [prorateStart(plans[0]!, cycle, cycle.startMs + days[0]! * DAY_MS)];
          for (let index = 1; index < plans.length; index++) {
            const changeAtMs = cycle.startMs + days[index]! * DAY_MS + 12 * 60 * 60 * 1000;
            lines.push(...proratePlanChange(plans[index - 1]!, plans[index]!, cycle, changeAtMs));
          }
          let expected = 0n;
          for (let index = 0; index < plans.length; index++) {
            const from = days[index]!;
            const to = days[index + 1] ?? cycle.days;
            const portion = expectedPortion(plans[index]!.cyclePriceCents, from, to, cycle.days, unitCents);
            const exactTimesDays = BigInt(plans[index]!.cyclePriceCents) * BigInt(to - from);
            const error = portion * BigInt(cycle.days) - exactTimesDays;
            const oneUnitOfDays = BigInt(cycle.days) * BigInt(unitCents);
            expect(error < oneUnitOfDays && -error < oneUnitOfDays).toBe(true);
            expect(portionForDays(plans[index]!.cyclePriceCents, cycle, from, to, unitCents)).toBe(
              Number(portion),
            );
            expected += portion;
          }
          const total = lines.reduce((sum, line) => sum + BigInt(line.amountCents), 0n);
          expect(total).toBe(expected);
          for (const line of lines) {
            expect(Number.isSafeInteger(line.amountCents)).toBe(true);
            expect(isWholeUnits(line.amountCents, unitCents)).toBe(true);
          }
          if (!startsMidCycle && plans.every((each) => each.cyclePriceCents === plans[0]!.cyclePriceCents)) {
            expect(total).toBe(BigInt(plans[0]!.cyclePriceCents));
          }
        },
      ),
    );
  });
});

describe('property (b2): whole-shilling parts of one cycle', () => {
  it('cuts a cycle at any days into whole-shilling parts that sum exactly to the plan price', () => {
    fc.assert(
      fc.property(
        anchorArbitrary,
        fc.integer({ min: 0, max: YEAR_MS }),
        priceIn(CENTS_PER_SHILLING),
        fc.array(fc.nat(), { maxLength: 10 }),
        ({ anchor }, offsetMs, price, cuts) => {
          const cycle = cycleContaining(anchor, START_2026 + offsetMs);
          const days = [0, ...cuts.map((cut) => cut % (cycle.days + 1)), cycle.days].sort((a, b) => a - b);
          const parts = days
            .slice(1)
            .map((to, index) => portionForDays(price, cycle, days[index]!, to, CENTS_PER_SHILLING));
          for (const part of parts) expect(isWholeUnits(part, CENTS_PER_SHILLING)).toBe(true);
          expect(parts.reduce((sum, part) => sum + part, 0)).toBe(price);
          // The same cuts through the production lines: a start on a cut day and changes back and
          // forth between two plans of the same price bill the price, in whole shillings.
          const same = plan(0, price, CENTS_PER_SHILLING);
          const twin = plan(1, price, CENTS_PER_SHILLING);
          const lines: InvoiceLine[] = [prorateStart(same, cycle, cycle.startMs)];
          days.slice(1, -1).forEach((day, index) => {
            if (day === cycle.days) return;
            const [from, to] = index % 2 === 0 ? [same, twin] : [twin, same];
            lines.push(...proratePlanChange(from, to, cycle, cycle.startMs + day * DAY_MS + 3_600_000));
          });
          for (const line of lines) expect(isWholeUnits(line.amountCents, CENTS_PER_SHILLING)).toBe(true);
          expect(sumLines(lines)).toBe(price);
        },
      ),
      { numRuns: 300 },
    );
  });
});

function plan(index: number, price: Cents, unitCents: InvoiceUnitCents = 1): BillingPlan {
  return { id: `pln_${index}`, name: `Plan ${index}`, cyclePriceCents: price, unitCents };
}

type Operation =
  | { kind: 'advance'; days: number; hours: number }
  | { kind: 'change_plan'; planIndex: number }
  | { kind: 'pay'; amount: number; isReplay: boolean }
  | { kind: 'refund'; share: number }
  | { kind: 'void_oldest' };

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant('advance' as const),
    days: fc.integer({ min: 0, max: 45 }),
    hours: fc.nat(23),
  }),
  fc.record({ kind: fc.constant('change_plan' as const), planIndex: fc.nat(3) }),
  fc.record({
    kind: fc.constant('pay' as const),
    amount: fc.integer({ min: 1, max: 3_000_000 }),
    isReplay: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('refund' as const), share: fc.integer({ min: 1, max: 100 }) }),
  fc.constant({ kind: 'void_oldest' as const }),
);

const testDatabases = useTestDatabases();
let tenantCounter = 0;
const SUBSCRIBER_ID = 'sub_p';
const ACCOUNT_NUMBER = 'P1';

/**
 * One subscriber on a test shard driven through random events by the functions the routes and jobs
 * call: the invoice run before every event (as the job would), plan changes, M-Pesa C2B payments
 * (some replayed), refunds and voids. The test keeps only the plan timeline, to price what was billed.
 */
class Simulation {
  readonly receivable = LedgerAccount.subscriber(SUBSCRIBER_ID);
  nowMs: number;
  planIndex = 0;
  paymentCount = 0;
  refundCount = 0;
  /** Plan in force from each instant, to price each invoiced cycle independently. */
  readonly timeline: { atMs: number; planIndex: number }[];

  private constructor(
    readonly database: SqlDatabase,
    readonly tenantId: string,
    readonly anchor: CycleAnchor,
    readonly plans: BillingPlan[],
    readonly serviceStartMs: number,
  ) {
    this.nowMs = serviceStartMs;
    this.timeline = [{ atMs: serviceStartMs, planIndex: 0 }];
  }

  static async open(rule: CycleRule, plans: BillingPlan[], serviceStartMs: number): Promise<Simulation> {
    const tenantId = `ten_money${tenantCounter++}`;
    const database = await testDatabases().createTenantDatabase(tenantId);
    const wholeShillings = plans[0]!.unitCents === CENTS_PER_SHILLING;
    await writeBillingSettings(database, { ...defaultBillingSettings, cycle: rule, wholeShillings }, 0);
    for (const plan of plans) {
      await insertPlan(database, {
        id: plan.id,
        priceCents: plan.cyclePriceCents,
        cycleMonths: rule.lengthMonths,
      });
    }
    await insertSubscriber(database, {
      id: SUBSCRIBER_ID,
      planId: plans[0]!.id,
      accountNumber: ACCOUNT_NUMBER,
      createdAt: serviceStartMs,
    });
    const anchor = resolveCycleAnchor(rule, null, serviceStartMs);
    return new Simulation(database, tenantId, anchor, plans, serviceStartMs);
  }

  runInvoiceJob(): Promise<unknown> {
    return runTenantInvoices(this.database, this.tenantId, this.nowMs);
  }

  async apply(operation: Operation): Promise<void> {
    if (operation.kind === 'advance') this.nowMs += operation.days * DAY_MS + operation.hours * 3_600_000;
    await this.runInvoiceJob();
    if (operation.kind === 'change_plan' && operation.planIndex !== this.planIndex) {
      await changeSubscriberPlan(
        this.database,
        SUBSCRIBER_ID,
        this.plans[operation.planIndex]!.id,
        this.nowMs,
      );
      this.planIndex = operation.planIndex;
      this.timeline.push({ atMs: this.nowMs, planIndex: operation.planIndex });
    }
    if (operation.kind === 'pay') await this.pay(operation.amount, operation.isReplay);
    if (operation.kind === 'refund') await this.refund(operation.share);
    if (operation.kind === 'void_oldest') await this.voidOldestOpen();
  }

  private async pay(amount: number, isReplay: boolean): Promise<void> {
    const isRepeat = isReplay && this.paymentCount > 0;
    const transId = isRepeat ? `T${this.paymentCount}` : `T${++this.paymentCount}`;
    const payment = { transId, amount, msisdn: '254700000001', billRefNumber: ACCOUNT_NUMBER };
    const outcome = await recordC2bPayment(this.database, payment, this.nowMs);
    expect(outcome.kind).toBe(isRepeat ? 'duplicate' : 'applied');
    if (outcome.kind === 'applied') await refreshSubscriberAccount(this.database, SUBSCRIBER_ID, this.nowMs);
  }

  private async refund(share: number): Promise<void> {
    const credit = (await this.standing()).creditBalanceCents;
    const amount = Math.floor((credit * share) / 100);
    if (amount <= 0) return;
    await refundCredit(
      this.database,
      {
        subscriberId: SUBSCRIBER_ID,
        amountCents: cents(amount),
        method: 'mpesa',
        reference: 'B2C',
        idempotencyKey: `rfd_${this.refundCount++}`,
      },
      this.nowMs,
    );
  }

  private async voidOldestOpen(): Promise<void> {
    const open = (await this.standing()).invoices.find(
      (invoice) => invoice.status === 'open' || invoice.status === 'partially_paid',
    );
    if (open) await voidInvoice(this.database, open.invoiceId, this.nowMs);
  }

  async entries(): Promise<Transfer[]> {
    return loadAccountTransfers(this.database, this.receivable);
  }

  async standing(): Promise<ReturnType<typeof accountStanding>> {
    return accountStanding(await this.entries(), this.receivable);
  }

  unitCents(): InvoiceUnitCents {
    return this.plans[0]!.unitCents;
  }

  /** Every line of every invoice issued, and the proration lines still waiting for the next one. */
  async lines(): Promise<{ invoiced: InvoiceLine[]; pending: InvoiceLine[]; cycles: Cycle[] }> {
    const invoices = await this.database.all<{ lines: string; periodStart: number }>(
      'SELECT lines, period_start AS "periodStart" FROM invoices ORDER BY period_start',
    );
    const pending = await this.database.column<string>(
      'SELECT line FROM billing_pending_lines WHERE invoice_id IS NULL',
    );
    return {
      invoiced: invoices.flatMap((invoice) => JSON.parse(invoice.lines) as InvoiceLine[]),
      pending: pending.map((line) => JSON.parse(line) as InvoiceLine),
      cycles: invoices.map((invoice) => cycleContaining(this.anchor, invoice.periodStart)),
    };
  }

  /** What the invoiced cycles cost by the timeline, priced segment by segment. */
  expectedBilled(invoicedCycles: readonly Cycle[]): bigint {
    let total = 0n;
    for (const cycle of invoicedCycles) {
      const fromMs = Math.max(cycle.startMs, this.serviceStartMs);
      const segments = this.timeline
        .filter((change) => change.atMs > fromMs && change.atMs < cycle.endMs)
        .map((change) => ({ day: dayOfCycle(cycle, change.atMs), planIndex: change.planIndex }));
      let planIndex = [...this.timeline].reverse().find((change) => change.atMs <= fromMs)!.planIndex;
      let day = dayOfCycle(cycle, fromMs);
      for (const segment of [...segments, { day: cycle.days, planIndex: -1 }]) {
        const price = this.plans[planIndex]!.cyclePriceCents;
        total += expectedPortion(price, day, segment.day, cycle.days, this.unitCents());
        day = segment.day;
        planIndex = segment.planIndex;
      }
    }
    return total;
  }
}

describe('property (a): random plan changes, payments and cycles, through the store', () => {
  it('keeps debits equal to credits, loses no cent, and never goes fractional', async () => {
    await fc.assert(
      fc.asyncProperty(
        ruleArbitrary,
        unitArbitrary.chain((unitCents) =>
          fc.tuple(fc.constant(unitCents), fc.array(priceIn(unitCents), { minLength: 4, maxLength: 4 })),
        ),
        fc.array(operationArbitrary, { maxLength: 30 }),
        async ({ rule, signupAtMs }, [unitCents, prices], operations) => {
          const simulation = await Simulation.open(
            rule,
            prices.map((price, index) => plan(index, price, unitCents)),
            signupAtMs,
          );
          await simulation.runInvoiceJob();
          for (const operation of operations) await simulation.apply(operation);
          const all = await simulation.database.all<{
            debitAccount: string;
            creditAccount: string;
            amount: number;
          }>(
            'SELECT debit_account AS "debitAccount", credit_account AS "creditAccount", amount_cents AS amount FROM ledger_entries',
          );
          const accountIds = new Set(all.flatMap((entry) => [entry.debitAccount, entry.creditAccount]));
          let sumOfBalances = 0;
          for (const account of accountIds) {
            for (const entry of all) {
              if (entry.debitAccount === account) sumOfBalances += entry.amount;
              if (entry.creditAccount === account) sumOfBalances -= entry.amount;
            }
          }
          expect(sumOfBalances).toBe(0);
          const entries = await simulation.entries();
          const receivable = simulation.receivable;
          let charged = 0;
          let credited = 0;
          let paid = 0;
          let refunded = 0;
          for (const entry of entries) {
            expect(Number.isSafeInteger(entry.amount) && entry.amount > 0).toBe(true);
            const isDebit = entry.debitAccount === receivable;
            if (entry.kind === 'payment') paid += entry.amount;
            else if (entry.kind === 'refund') refunded += entry.amount;
            else if (isDebit) charged += entry.amount;
            else credited += entry.amount;
          }
          const balance = balanceOf(entries, receivable);
          expect(charged - credited - paid + refunded).toBe(balance);
          const standing = accountStanding(entries, receivable);
          const outstanding = standing.invoices.reduce((sum, invoice) => sum + invoice.outstandingCents, 0);
          expect(outstanding + standing.unbilledDebtCents - standing.creditBalanceCents).toBe(balance);
          for (const invoice of standing.invoices) {
            expect(invoice.paidCents + invoice.outstandingCents).toBe(Math.max(invoice.amountCents, 0));
          }
          expectOldestFirstAllocation(entries, receivable, standing);
          const lines = await simulation.lines();
          const sum = (each: InvoiceLine[]) =>
            each.reduce((total, line) => total + BigInt(line.amountCents), 0n);
          // Invoiced lines plus proration still waiting for the next invoice = the timeline's price.
          expect(sum(lines.invoiced) + sum(lines.pending)).toBe(simulation.expectedBilled(lines.cycles));
          const outsideUnit = lines.invoiced.filter((line) => !isWholeUnits(line.amountCents, unitCents));
          expect(outsideUnit).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** Oldest-first allocation, seen from outside: money never waits while an invoice is open. */
function expectOldestFirstAllocation(
  entries: readonly Transfer[],
  receivable: string,
  standing: ReturnType<typeof accountStanding>,
): void {
  const outstanding = standing.invoices.reduce((sum, invoice) => sum + invoice.outstandingCents, 0);
  if (standing.creditBalanceCents > 0) expect(outstanding + standing.unbilledDebtCents).toBe(0);
  const moneyIn = entries
    .filter((entry) => entry.creditAccount === receivable && entry.invoiceId === null)
    .reduce((sum, entry) => sum + entry.amount, 0);
  const surplus = standing.invoices.reduce((sum, invoice) => sum + Math.max(-invoice.amountCents, 0), 0);
  const paid = standing.invoices.reduce((sum, invoice) => sum + invoice.paidCents, 0);
  expect(paid + standing.creditBalanceCents).toBeLessThanOrEqual(moneyIn + surplus);
  const shapes = standing.invoices
    .filter((invoice) => invoice.amountCents > 0)
    .map((invoice) => (invoice.outstandingCents === 0 ? 'P' : invoice.paidCents > 0 ? 'p' : 'o'))
    .join('');
  expect(shapes).toMatch(/^P*p?o*$/);
}

describe('property (c): dunning', () => {
  const stepArbitrary = fc.record({
    daysFromDue: fc.integer({ min: -10, max: 20 }),
    action: fc.constantFrom('remind' as const, 'suspend' as const),
  });
  const invoiceArbitrary = fc.record({
    invoiceId: fc.constantFrom('inv_a', 'inv_b', 'inv_c', 'inv_d'),
    dueAtMs: fc.integer({ min: 0, max: 120 }).map((day) => START_2026 + day * DAY_MS),
    outstandingCents: fc.integer({ min: 0, max: 100_000 }).map(cents),
  });
  const accountArbitrary: fc.Arbitrary<DunningAccount> = fc.oneof(
    fc.constant({ subscriberId: 'sub_d', status: 'active' as const, suspendedByKey: null }),
    fc.constant({ subscriberId: 'sub_d', status: 'suspended' as const, suspendedByKey: null }),
    fc.constant({ subscriberId: 'sub_d', status: 'suspended' as const, suspendedByKey: 'dunning:old' }),
  );

  it('returns nothing new when run again with the first run marked done, with or without applying it', () => {
    fc.assert(
      fc.property(
        accountArbitrary,
        fc.uniqueArray(invoiceArbitrary, { maxLength: 4, selector: (invoice) => invoice.invoiceId }),
        fc.array(stepArbitrary, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: -20, max: 160 }).map((day) => START_2026 + day * DAY_MS + 9 * 3_600_000),
        ({ ...account }, invoices, steps, nowMs) => {
          const policy: DunningPolicy = { steps };
          const first = dunningActions(account, invoices, policy, nowMs, new Set());
          expect(first.filter((action) => action.action === 'remind').length).toBeLessThanOrEqual(1);
          expect(first.filter((action) => action.action === 'suspend').length).toBeLessThanOrEqual(1);
          const done = new Set(first.map((action) => action.key));
          expect(dunningActions(account, invoices, policy, nowMs, done)).toEqual([]);
          let applied = account;
          for (const action of first) {
            if (action.action === 'suspend')
              applied = { ...applied, status: 'suspended', suspendedByKey: action.key };
            if (action.action === 'reactivate')
              applied = { ...applied, status: 'active', suspendedByKey: null };
          }
          expect(dunningActions(applied, invoices, policy, nowMs, done)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
